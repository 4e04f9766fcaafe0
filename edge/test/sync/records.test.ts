import { describe, expect, it } from 'vitest';
import type { Analysis } from '@callsight/shared';
import { callLog, callTitle, newContact, newTask, splitName, type SyncCall } from '../../src/sync/records';

const call: SyncCall = {
  id: 'call_abc',
  direction: 'inbound',
  outcome: 'missed',
  customerPhoneE164: '+13036231131',
  customerPhoneRaw: '(303) 623-1131',
  customerName: 'Dana Van Caller',
  agentEmail: 'new.agent@example.com',
  agentName: null,
  startedAt: Date.UTC(2026, 10, 22, 11),
  createdAt: Date.UTC(2026, 10, 22, 11, 1),
  durationSeconds: 0,
  recordingUrl: 'https://rec.example/1.mp3',
  attribution: { sourceName: 'Google Ads', utmSource: 'google', utmMedium: 'cpc' },
  source: 'callrail',
  sourceAnalysis: null,
};

const analysis = {
  leadScore: 84,
  band: 'high',
  intent: 'kitchen_remodel',
  summary: 'Wants a kitchen remodel.',
  keyInsights: ['Budget $30-40k'],
  breakdown: [
    { factor: 'intent', points: 30, evidence: null },
    { factor: 'missed', points: -5, evidence: null },
  ],
} as unknown as Analysis;

const contact = { crm: 'hubspot' as const, type: 'contact', id: '1', url: null };

describe('what a sync writes', () => {
  it('splits the caller name', () => {
    expect(splitName('Dana Van Caller')).toEqual({ firstName: 'Dana', lastName: 'Van Caller' });
    expect(splitName('Cher')).toEqual({ firstName: null, lastName: 'Cher' });
    expect(splitName(null)).toEqual({ firstName: null, lastName: null });
    expect(newContact(call, '7')).toMatchObject({
      phone: '+13036231131',
      firstName: 'Dana',
      ownerId: '7',
      email: null,
    });
  });

  it('titles the call with score, band and intent, and writes the why into the body', () => {
    expect(callTitle({ ...call, outcome: 'answered' }, analysis)).toBe('Inbound call · 84/100 high · kitchen_remodel');
    expect(callTitle(call, null)).toBe('Inbound call (missed)');
    const log = callLog(call, analysis, { contact, deal: null }, '7', ['2 contacts have this number']);
    expect(log.body).toContain('Wants a kitchen remodel.');
    expect(log.body).toContain('+30 intent');
    expect(log.body).toContain('-5 missed');
    expect(log.body).toContain('- Budget $30-40k');
    expect(log.body).toContain('2 contacts have this number');
    expect(log.body).toContain('Recording: https://rec.example/1.mp3');
    expect(log.body).toContain('Source: Google Ads · google / cpc');
    expect(log).toMatchObject({ externalId: 'call_abc', outcome: 'missed', startedAt: '2026-11-22T11:00:00.000Z' });
  });

  it('names tasks by purpose and dates them from when the plan was made', () => {
    const planned = Date.UTC(2026, 10, 22, 12);
    const refs = { contact, deal: null };
    const cb = newTask(
      call,
      analysis,
      { purpose: 'callback', ownerId: '1', dueInMinutes: 15, priority: 'medium' },
      refs,
      planned,
    );
    expect(cb).toMatchObject({
      subject: 'Call back Dana Van Caller: missed inbound call',
      dueAt: '2026-11-22T12:15:00.000Z',
    });
    const hot = newTask(
      call,
      analysis,
      { purpose: 'hot_lead', ownerId: '1', dueInMinutes: 0, priority: 'high' },
      refs,
      planned,
    );
    expect(hot.subject).toBe('Hot lead: call Dana Van Caller back now (score 84)');
    const map = newTask(
      call,
      analysis,
      { purpose: 'agent_mapping', ownerId: '1', dueInMinutes: 60, priority: 'low' },
      refs,
      planned,
    );
    expect(map.subject).toBe('Map agent new.agent@example.com to a CRM user');
    expect(new Set([cb.externalId, hot.externalId, map.externalId]).size).toBe(3);
  });
});

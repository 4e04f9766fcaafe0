import { describe, expect, it } from 'vitest';
import { defaultRoutingConfig, planSync, type PlanInput, type SyncAction } from '../../src/crm/plan';

const TOP = 'owner-top';
const AGENT = 'owner-agent';
const OWNER = 'owner-contact';

type Row = {
  name: string;
  call?: Partial<PlanInput['call']>;
  analysis?: Partial<NonNullable<PlanInput['analysis']>> | null;
  existing?: Partial<PlanInput['existing']>;
  config?: Partial<PlanInput['config']>;
  expect: SyncAction[];
  reason?: RegExp;
};

const known = { contact: { id: 'c1', ownerId: OWNER }, openDeal: { id: 'd1' }, matches: 1 };

// One row per line of the matrix in DESIGN.md §6.
const rows: Row[] = [
  {
    name: 'inbound answered, new caller: contact + deal owned by the answering agent, call on both',
    expect: [
      { kind: 'create_contact', ownerId: AGENT },
      { kind: 'create_deal', ownerId: AGENT, priority: 'medium' },
      { kind: 'log_call', ownerId: AGENT, onDeal: true, notes: [] },
    ],
  },
  {
    name: 'inbound answered, new caller, deals off: contact and call only',
    config: { createDeals: false },
    expect: [
      { kind: 'create_contact', ownerId: AGENT },
      { kind: 'log_call', ownerId: AGENT, onDeal: false, notes: [] },
    ],
  },
  {
    name: 'inbound answered, known caller answered by the owner: call on contact and open deal',
    existing: { ...known, agentOwnerId: OWNER },
    expect: [{ kind: 'log_call', ownerId: OWNER, onDeal: true, notes: [] }],
  },
  {
    name: 'inbound answered, known caller answered by someone else: says who answered',
    existing: { ...known, agentOwnerId: AGENT },
    expect: [
      { kind: 'log_call', ownerId: AGENT, onDeal: true, notes: ['Answered by Sam Agent, not the contact owner'] },
    ],
  },
  {
    name: 'inbound answered, known caller without an open deal: call on the contact only',
    existing: { ...known, openDeal: null, agentOwnerId: OWNER },
    expect: [{ kind: 'log_call', ownerId: OWNER, onDeal: false, notes: [] }],
  },
  {
    name: 'inbound missed, new caller: contact + deal for the top manager, callback in 15 minutes',
    call: { outcome: 'missed', agentEmail: null, agentName: null },
    existing: { agentOwnerId: null },
    expect: [
      { kind: 'create_contact', ownerId: TOP },
      { kind: 'create_deal', ownerId: TOP, priority: 'medium' },
      { kind: 'log_call', ownerId: TOP, onDeal: true, notes: [] },
      { kind: 'create_task', purpose: 'callback', ownerId: TOP, dueInMinutes: 15, priority: 'medium' },
    ],
  },
  {
    name: 'inbound voicemail, known caller: missed call logged, callback for the contact owner',
    call: { outcome: 'voicemail', agentEmail: null, agentName: null },
    existing: { ...known, agentOwnerId: null },
    expect: [
      { kind: 'log_call', ownerId: OWNER, onDeal: true, notes: [] },
      { kind: 'create_task', purpose: 'callback', ownerId: OWNER, dueInMinutes: 15, priority: 'medium' },
    ],
  },
  {
    name: 'inbound missed, known caller without an owner: callback falls to the top manager',
    call: { outcome: 'missed', agentEmail: null, agentName: null },
    existing: { contact: { id: 'c1', ownerId: null }, openDeal: null, matches: 1, agentOwnerId: null },
    expect: [
      { kind: 'log_call', ownerId: null, onDeal: false, notes: [] },
      { kind: 'create_task', purpose: 'callback', ownerId: TOP, dueInMinutes: 15, priority: 'medium' },
    ],
  },
  {
    name: 'outbound answered, new caller: contact created, call logged, no deal or task',
    call: { direction: 'outbound' },
    expect: [
      { kind: 'create_contact', ownerId: AGENT },
      { kind: 'log_call', ownerId: AGENT, onDeal: false, notes: [] },
    ],
  },
  {
    name: 'outbound answered, known caller: call logged on contact and open deal',
    call: { direction: 'outbound' },
    existing: { ...known, agentOwnerId: AGENT },
    expect: [{ kind: 'log_call', ownerId: AGENT, onDeal: true, notes: [] }],
  },
  {
    name: 'agent unknown to the CRM: top manager owns it, plus a task to fix the mapping',
    existing: { agentOwnerId: null },
    expect: [
      { kind: 'create_contact', ownerId: TOP },
      { kind: 'create_deal', ownerId: TOP, priority: 'medium' },
      { kind: 'log_call', ownerId: TOP, onDeal: true, notes: [] },
      { kind: 'create_task', purpose: 'agent_mapping', ownerId: TOP, dueInMinutes: 1440, priority: 'low' },
    ],
    reason: /has no CRM owner/,
  },
  {
    name: 'spam from an unknown number: nothing is written',
    analysis: { spam: true, disposition: 'spam', band: 'low' },
    expect: [],
    reason: /spam: no contact/,
  },
  {
    name: 'wrong number from a known contact: the call is logged, nothing else',
    analysis: { disposition: 'wrong_number', band: 'low' },
    existing: { ...known, agentOwnerId: AGENT },
    expect: [{ kind: 'log_call', ownerId: OWNER, onDeal: false, notes: [] }],
  },
  {
    name: 'spam with junkPolicy skip: nothing even for a known contact',
    analysis: { spam: true, disposition: 'spam', band: 'low' },
    existing: { ...known, agentOwnerId: AGENT },
    config: { junkPolicy: 'skip' },
    expect: [],
  },
  {
    name: 'hot lead answered: deal priority high, no call-back task (someone is on the phone)',
    analysis: { band: 'high', disposition: 'hot_lead' },
    expect: [
      { kind: 'create_contact', ownerId: AGENT },
      { kind: 'create_deal', ownerId: AGENT, priority: 'high' },
      { kind: 'log_call', ownerId: AGENT, onDeal: true, notes: [] },
    ],
  },
  {
    name: 'hot lead missed: "call back now" task, high priority, due at once',
    call: { outcome: 'voicemail', agentEmail: null, agentName: null },
    analysis: { band: 'high', disposition: 'callback_requested' },
    existing: { agentOwnerId: null },
    expect: [
      { kind: 'create_contact', ownerId: TOP },
      { kind: 'create_deal', ownerId: TOP, priority: 'high' },
      { kind: 'log_call', ownerId: TOP, onDeal: true, notes: [] },
      { kind: 'create_task', purpose: 'hot_lead', ownerId: TOP, dueInMinutes: 0, priority: 'high' },
    ],
  },
  {
    name: 'do not call: contact flagged, call logged, no deal and no follow-up',
    analysis: { disposition: 'do_not_call', band: 'low' },
    expect: [
      { kind: 'create_contact', ownerId: AGENT },
      { kind: 'log_call', ownerId: AGENT, onDeal: false, notes: [] },
      { kind: 'set_do_not_call' },
    ],
  },
  {
    name: 'do not call on a missed call from a known contact: no callback task',
    call: { outcome: 'voicemail', agentEmail: null, agentName: null },
    analysis: { disposition: 'do_not_call', band: 'low' },
    existing: { ...known, agentOwnerId: null },
    expect: [{ kind: 'log_call', ownerId: OWNER, onDeal: true, notes: [] }, { kind: 'set_do_not_call' }],
  },
  {
    name: 'existing customer calling from a new number: contact, no new deal',
    analysis: { disposition: 'existing_customer', band: 'low' },
    expect: [
      { kind: 'create_contact', ownerId: AGENT },
      { kind: 'log_call', ownerId: AGENT, onDeal: false, notes: [] },
    ],
  },
  {
    name: 'several contacts share the number: the call says so',
    existing: { ...known, matches: 3, agentOwnerId: OWNER },
    expect: [{ kind: 'log_call', ownerId: OWNER, onDeal: true, notes: ['3 contacts have this number'] }],
    reason: /3 CRM records share this number/,
  },
];

describe('planSync: the routing matrix', () => {
  it.each(rows)('$name', (row) => {
    const input: PlanInput = {
      call: {
        direction: 'inbound',
        outcome: 'answered',
        customerPhone: '+13036231131',
        agentEmail: 'sam@acme.example',
        agentName: 'Sam Agent',
        ...row.call,
      },
      analysis:
        row.analysis === null ? null : { band: 'medium', disposition: 'interested', spam: false, ...row.analysis },
      existing: { contact: null, openDeal: null, matches: 0, agentOwnerId: AGENT, ...row.existing },
      config: { ...defaultRoutingConfig, topManagerOwnerId: TOP, ...row.config },
    };
    const plan = planSync(input);
    expect(plan.actions).toEqual(row.expect);
    if (row.reason) expect(plan.reasons.join('\n')).toMatch(row.reason);
  });
});

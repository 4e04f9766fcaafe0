import type { CallEvent, CallOutcome } from '@callsight/shared';
import { concatBytes, hmacHexMatches } from './signature';
import { firstStr, isRecord, isoTime, parseJsonObject, phone, requiredId, seconds, str, type Fields } from './fields';
import { PayloadError, type SourceAdapter } from './types';
import { utf8 } from '../auth/digest';

/** Retell's SDK rejects signatures older or newer than five minutes; so do we. */
export const RETELL_WINDOW_MS = 5 * 60 * 1000;

const eventRanks: Record<string, number> = {
  call_started: 1,
  transcript_updated: 1,
  transfer_started: 1,
  transfer_bridged: 1,
  transfer_cancelled: 1,
  transfer_ended: 1,
  call_ended: 2,
  call_analyzed: 3,
};

const missedReasons = new Set(['dial_busy', 'dial_failed', 'dial_no_answer', 'invalid_destination', 'user_declined']);

function outcomeOf(event: string, call: Fields, analysis: Fields | null): CallOutcome {
  const reason = str(call.disconnection_reason);
  if (analysis?.in_voicemail === true || reason === 'voicemail_reached') return 'voicemail';
  if (reason !== null && missedReasons.has(reason)) return 'missed';
  if (str(call.call_status) === 'not_connected') return 'missed';
  if (event === 'call_started' || str(call.call_status) === 'ongoing') return 'in_progress';
  return 'answered';
}

function durationOf(call: Fields): number | null {
  const ms = seconds(call.duration_ms);
  if (ms !== null) return Math.round(ms / 1000);
  const start = seconds(call.start_timestamp);
  const end = seconds(call.end_timestamp);
  return start !== null && end !== null && end >= start ? Math.round((end - start) / 1000) : null;
}

/**
 * Retell AI: `x-retell-signature: v=<ms>,d=<hex>`, d = HMAC-SHA256(API key, raw body + v).
 * Envelope `{ event, call }`; `call_analyzed` carries Retell's own `call_analysis`.
 */
export const retell: SourceAdapter = {
  name: 'retell',
  methods: ['POST'],
  keptHeaders: ['x-retell-signature', 'content-type', 'user-agent'],

  async verify(req, secret, _options, now) {
    const header = req.headers.get('x-retell-signature');
    if (!header) return { ok: false, reason: 'missing_signature', message: 'the x-retell-signature header is missing' };
    const match = /^v=(\d{1,16}),d=([0-9a-fA-F]{64})$/.exec(header.trim());
    if (!match) {
      return { ok: false, reason: 'bad_signature', message: 'x-retell-signature must look like v=<ms>,d=<hex>' };
    }
    const [, v = '', d = ''] = match;
    if (Math.abs(now - Number(v)) > RETELL_WINDOW_MS) {
      return {
        ok: false,
        reason: 'stale_signature',
        message: 'x-retell-signature timestamp is outside the 5-minute window',
      };
    }
    return (await hmacHexMatches('SHA-256', secret, concatBytes(req.body, utf8(v)), d))
      ? { ok: true }
      : { ok: false, reason: 'bad_signature', message: 'x-retell-signature does not match the body' };
  },

  parse(req, ctx) {
    try {
      const body = parseJsonObject(req.text);
      const event = str(body.event);
      if (event === null)
        throw new PayloadError('event', 'field "event" is required (call_started, call_ended, call_analyzed)');
      const call = body.call ?? body.data;
      if (!isRecord(call)) throw new PayloadError('call', 'field "call" must be an object');
      const sourceCallId = requiredId(call, 'call_id');
      const directionText = str(call.direction) ?? 'inbound';
      if (directionText !== 'inbound' && directionText !== 'outbound') {
        throw new PayloadError(
          'call.direction',
          `field "call.direction" must be "inbound" or "outbound", got "${directionText}"`,
        );
      }
      const analysis = isRecord(call.call_analysis) ? call.call_analysis : null;
      // The customer is whoever is not the agent: the caller inbound, the callee outbound.
      const [customer, ours] =
        directionText === 'inbound' ? [call.from_number, call.to_number] : [call.to_number, call.from_number];
      const metadata = isRecord(call.metadata) ? call.metadata : {};
      const variables = isRecord(call.retell_llm_dynamic_variables) ? call.retell_llm_dynamic_variables : {};
      const own: Record<string, unknown> = {};
      if (analysis) own.call_analysis = analysis;
      if (str(call.disconnection_reason)) own.disconnection_reason = call.disconnection_reason;
      if (str(call.agent_id)) own.agent_id = call.agent_id;
      const parsed: CallEvent = {
        source: 'retell',
        eventType: event,
        eventRank: eventRanks[event] ?? 1,
        sourceCallId,
        direction: directionText,
        outcome: outcomeOf(event, call, analysis),
        customerPhone: phone(customer, ctx.defaultCountry),
        customerName: firstStr(variables, 'customer_name', 'name') ?? firstStr(metadata, 'customer_name', 'name'),
        trackingNumber: phone(ours, ctx.defaultCountry),
        agent: str(call.agent_name) ? { email: null, phone: null, name: str(call.agent_name) } : null,
        startedAt: isoTime(call.start_timestamp),
        durationSeconds: durationOf(call),
        recordingUrl: str(call.recording_url),
        transcript: str(call.transcript),
        attribution: {
          utmSource: str(metadata.utm_source),
          utmMedium: str(metadata.utm_medium),
          utmCampaign: str(metadata.utm_campaign),
          utmTerm: str(metadata.utm_term),
          utmContent: str(metadata.utm_content),
          gclid: str(metadata.gclid),
          landingPage: firstStr(metadata, 'landing_page', 'landing_page_url'),
          referrer: str(metadata.referrer),
          campaign: str(metadata.campaign),
          sourceName: firstStr(metadata, 'source', 'source_name') ?? 'Retell AI',
        },
        sourceAnalysis: Object.keys(own).length ? own : null,
        changes: [],
      };
      return { ok: true, event: parsed };
    } catch (e) {
      if (e instanceof PayloadError) return { ok: false, field: e.field, message: e.message };
      throw e;
    }
  },
};

import type { CallEvent, CallOutcome } from '@callsight/shared';
import { bool, firstStr, isoTime, parseJsonObject, phone, requiredId, seconds, str, type Fields } from './fields';
import { hmacBase64Matches } from './signature';
import { PayloadError, type SourceAdapter } from './types';

// Fields CallRail's analysis features fill in (Premium Conversation Intelligence, lead status):
// kept with the call as the source's own view.
const analysisFields = [
  'call_summary',
  'sentiment',
  'lead_status',
  'lead_score',
  'lead_explanation',
  'tags',
  'value',
  'note',
  'call_highlights',
  'keywords_spotted',
  'first_call',
  'prior_calls',
  'total_calls',
  'call_type',
] as const;

function outcomeOf(body: Fields): CallOutcome {
  const callType = str(body.call_type);
  if (bool(body.voicemail) === true || callType === 'voicemail' || callType === 'voicemail_transcription') {
    return 'voicemail';
  }
  if (callType === 'in_progress') return 'in_progress';
  if (bool(body.answered) === true || callType === 'answered') return 'answered';
  return 'missed';
}

function directionOf(body: Fields): 'inbound' | 'outbound' {
  const direction = str(body.direction);
  if (direction === null) return str(body.call_type) === 'outbound' ? 'outbound' : 'inbound';
  const lower = direction.toLowerCase();
  if (lower === 'inbound' || lower === 'outbound') return lower;
  throw new PayloadError('direction', `field "direction" must be "inbound" or "outbound", got "${direction}"`);
}

function sourceAnalysis(body: Fields): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  for (const name of analysisFields) {
    const value = body[name];
    if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    out[name] = value;
  }
  return Object.keys(out).length ? out : null;
}

/**
 * CallRail: `Signature` = base64(HMAC-SHA1(company signing token, raw body)). Post-Call, Outbound
 * Post-Call and Call Modified carry the same call object; Call Modified adds `changes`.
 */
export const callrail: SourceAdapter = {
  name: 'callrail',
  methods: ['POST'],
  keptHeaders: ['signature', 'x-callrail-signature', 'content-type', 'user-agent'],

  async verify(req, secret) {
    const presented = req.headers.get('signature') ?? req.headers.get('x-callrail-signature');
    if (!presented) return { ok: false, reason: 'missing_signature', message: 'the Signature header is missing' };
    return (await hmacBase64Matches('SHA-1', secret, req.body, presented))
      ? { ok: true }
      : { ok: false, reason: 'bad_signature', message: 'the Signature header does not match the body' };
  },

  parse(req, ctx) {
    try {
      const body = parseJsonObject(req.text);
      const sourceCallId = requiredId(body, 'id', 'resource_id');
      const direction = directionOf(body);
      const changes = Array.isArray(body.changes) ? body.changes.filter((c) => typeof c === 'string') : [];
      const modified = Array.isArray(body.changes);
      // Pre-call and routing events arrive before the call has an outcome: they rank lowest.
      const early = body.answered === undefined && body.duration === undefined && !modified;
      const eventType = modified
        ? direction === 'outbound'
          ? 'outbound_call_modified'
          : 'call_modified'
        : early
          ? 'pre_call'
          : direction === 'outbound'
            ? 'outbound_post_call'
            : 'post_call';
      const agentEmail = str(body.agent_email);
      const agentPhone = str(body.business_phone_number);
      const event: CallEvent = {
        source: 'callrail',
        eventType,
        eventRank: modified ? 3 : early ? 1 : 2,
        sourceCallId,
        direction,
        outcome: early ? 'in_progress' : outcomeOf(body),
        customerPhone: phone(firstStr(body, 'customer_phone_number', 'callernum'), ctx.defaultCountry),
        customerName: firstStr(body, 'customer_name', 'formatted_customer_name', 'callername'),
        trackingNumber: phone(firstStr(body, 'tracking_phone_number', 'trackingnum'), ctx.defaultCountry),
        agent: agentEmail || agentPhone ? { email: agentEmail, phone: agentPhone, name: null } : null,
        startedAt: isoTime(body.start_time) ?? isoTime(body.created_at),
        durationSeconds: seconds(body.duration),
        recordingUrl: firstStr(body, 'recording', 'recording_player'),
        transcript: firstStr(body, 'transcription', 'conversational_transcript'),
        attribution: {
          utmSource: str(body.utm_source),
          utmMedium: str(body.utm_medium),
          utmCampaign: str(body.utm_campaign),
          utmTerm: str(body.utm_term),
          utmContent: str(body.utm_content),
          gclid: str(body.gclid),
          landingPage: firstStr(body, 'landing_page_url', 'landingpage'),
          referrer: firstStr(body, 'referring_url', 'referrer_domain', 'referrer'),
          campaign: str(body.campaign),
          sourceName: firstStr(body, 'source_name', 'source', 'formatted_tracking_source'),
        },
        sourceAnalysis: sourceAnalysis(body),
        changes,
      };
      return { ok: true, event };
    } catch (e) {
      if (e instanceof PayloadError) return { ok: false, field: e.field, message: e.message };
      throw e;
    }
  },
};

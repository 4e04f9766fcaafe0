import type { CallEvent, CallOutcome } from '@callsight/shared';
import { equalsConstantTime, fromBase64 } from '../auth/digest';
import { isRecord, isoTime, parseJsonObject, phone, seconds, str, type Fields } from './fields';
import { PayloadError, type SourceAdapter, type WebhookRequest } from './types';

/**
 * Ringostat lets each customer choose the parameter names a webhook sends, so every field we read
 * has a list of aliases. A tenant's `options.fieldAliases` puts its own names first.
 */
export const ringostatDefaultAliases = {
  callId: ['uniqueid', 'call_id', 'cdr_id', 'id'],
  caller: ['caller', 'caller_number', 'callerid', 'from'],
  destination: ['dst', 'callee', 'destination', 'to'],
  disposition: ['disposition', 'status', 'call_status'],
  callType: ['call_type', 'type', 'direction'],
  callDate: ['calldate', 'call_date', 'datetime', 'date'],
  billsec: ['billsec', 'dialog', 'talk_time'],
  duration: ['duration'],
  employeeName: ['employee_fio', 'employee_name', 'employee'],
  employeeNumber: ['employee_number', 'connected_with', 'extension_number'],
  employeeEmail: ['employee_email', 'email'],
  callerName: ['caller_name', 'client_name', 'contact_name'],
  recording: ['recording', 'recording_url', 'recording_wav'],
  transcript: ['transcript', 'transcription'],
  utmSource: ['utm_source'],
  utmMedium: ['utm_medium'],
  utmCampaign: ['utm_campaign'],
  utmTerm: ['utm_term'],
  utmContent: ['utm_content'],
  gclid: ['gclid'],
  landing: ['landing', 'landing_page'],
  referrer: ['refferrer', 'referrer'],
  pool: ['pool_name', 'scheme_name'],
} as const satisfies Record<string, readonly string[]>;

export type RingostatField = keyof typeof ringostatDefaultAliases;

const answered = new Set(['ANSWERED', 'PROPER', 'REPEATED', 'REPEAT CALL']);
const voicemail = new Set(['VOICEMAIL', 'VOICE MAIL']);
const inboundTypes = new Set(['in', 'incoming', 'inbound', 'callback', 'transitin']);
const outboundTypes = new Set(['out', 'outgoing', 'outbound', 'transitout']);

/** `NO+ANSWER`, `no_answer`, `No answer` → `NO ANSWER`. */
export function normaliseDisposition(value: string): string {
  return value.replace(/[+_]/g, ' ').replace(/\s+/g, ' ').trim().toUpperCase();
}

function payloadOf(req: WebhookRequest): Fields {
  const fields: Fields = Object.fromEntries(req.query);
  if (req.method === 'GET' || req.text.trim() === '') return fields;
  const type = (req.headers.get('content-type') ?? '').toLowerCase();
  const looksJson = type.includes('json') || /^\s*\{/.test(req.text);
  if (looksJson) return { ...fields, ...parseJsonObject(req.text) };
  return { ...fields, ...Object.fromEntries(new URLSearchParams(req.text)) };
}

function aliasesFor(options: Record<string, unknown>, field: RingostatField): readonly string[] {
  const custom = isRecord(options.fieldAliases) ? options.fieldAliases[field] : undefined;
  const own = Array.isArray(custom) ? custom.filter((x): x is string => typeof x === 'string') : [];
  return [...own, ...ringostatDefaultAliases[field]];
}

/** Ringostat sends `YYYY-MM-DD HH:MM:SS` in the project's time zone; `options.utcOffsetMinutes` says which. */
function callDate(value: unknown, utcOffsetMinutes: number): string | null {
  const text = str(value);
  if (text === null) return null;
  if (/^\d{10}$/.test(text)) return new Date(Number(text) * 1000).toISOString();
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (m) {
    const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
    return new Date(Date.UTC(y, mo - 1, d, h, mi, s) - utcOffsetMinutes * 60_000).toISOString();
  }
  return isoTime(text);
}

/**
 * Ringostat: no body signature exists, so each webhook carries Basic auth (login from
 * `options.username`, default `ringostat`; password = the integration secret) and the tenant's
 * unguessable slug in the URL.
 */
export const ringostat: SourceAdapter = {
  name: 'ringostat',
  methods: ['POST', 'GET'],
  keptHeaders: ['content-type', 'user-agent'],

  async verify(req, secret, options) {
    const header = req.headers.get('authorization');
    const match = header ? /^Basic\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) return { ok: false, reason: 'missing_signature', message: 'Basic authorization is required' };
    const decoded = fromBase64(match[1]);
    const text = decoded ? new TextDecoder().decode(decoded) : '';
    const colon = text.indexOf(':');
    const username = typeof options.username === 'string' ? options.username : 'ringostat';
    const [userOk, passOk] = await Promise.all([
      equalsConstantTime(colon >= 0 ? text.slice(0, colon) : '', username),
      equalsConstantTime(colon >= 0 ? text.slice(colon + 1) : '', secret),
    ]);
    return userOk && passOk
      ? { ok: true }
      : { ok: false, reason: 'bad_credentials', message: 'Basic authorization does not match this webhook' };
  },

  parse(req, ctx) {
    try {
      const fields = payloadOf(req);
      const read = (field: RingostatField) => {
        for (const name of aliasesFor(ctx.options, field)) {
          const value = str(fields[name]);
          if (value !== null) return value;
        }
        return null;
      };
      const callIdNames = aliasesFor(ctx.options, 'callId');
      const sourceCallId = read('callId');
      if (sourceCallId === null) {
        throw new PayloadError(
          callIdNames[0] ?? 'uniqueid',
          `field "${callIdNames[0]}" (or ${callIdNames.slice(1).join(', ')}) is required: the call's unique id`,
        );
      }
      const type = (read('callType') ?? 'in').toLowerCase();
      if (!inboundTypes.has(type) && !outboundTypes.has(type)) {
        throw new PayloadError('call_type', `field "call_type" must be in, out or callback, got "${type}"`);
      }
      const direction = outboundTypes.has(type) ? 'outbound' : 'inbound';
      const disposition = normaliseDisposition(read('disposition') ?? '');
      const billsec = seconds(read('billsec'));
      const outcome: CallOutcome = voicemail.has(disposition)
        ? 'voicemail'
        : answered.has(disposition) || (disposition === '' && (billsec ?? 0) > 0)
          ? 'answered'
          : 'missed';
      const [customer, ours] =
        direction === 'inbound' ? [read('caller'), read('destination')] : [read('destination'), read('caller')];
      const employee = {
        name: read('employeeName'),
        phone: read('employeeNumber'),
        email: read('employeeEmail'),
      };
      const offset = typeof ctx.options.utcOffsetMinutes === 'number' ? ctx.options.utcOffsetMinutes : 0;
      const event: CallEvent = {
        source: 'ringostat',
        eventType: str(fields.event) ?? (type === 'callback' ? 'callback' : 'call'),
        eventRank: 2,
        sourceCallId,
        direction,
        outcome,
        customerPhone: phone(customer, ctx.defaultCountry),
        customerName: read('callerName'),
        trackingNumber: phone(ours, ctx.defaultCountry),
        agent: employee.name || employee.phone || employee.email ? employee : null,
        startedAt: callDate(read('callDate'), offset),
        durationSeconds: billsec ?? seconds(read('duration')),
        recordingUrl: read('recording'),
        transcript: read('transcript'),
        attribution: {
          utmSource: read('utmSource'),
          utmMedium: read('utmMedium'),
          utmCampaign: read('utmCampaign'),
          utmTerm: read('utmTerm'),
          utmContent: read('utmContent'),
          gclid: read('gclid'),
          landingPage: read('landing'),
          referrer: read('referrer'),
          campaign: read('pool'),
          sourceName: 'Ringostat',
        },
        sourceAnalysis: disposition ? { disposition, call_type: type } : { call_type: type },
        changes: [],
      };
      return { ok: true, event };
    } catch (e) {
      if (e instanceof PayloadError) return { ok: false, field: e.field, message: e.message };
      throw e;
    }
  },
};

import type { CallLog, CrmRef, NewTask } from '../port';

// The activity bodies the adapter writes, from the port's inputs: pure functions. Pipedrive has
// no upsert and no external id on activities, so each note ends with a reference tag the adapter
// looks for before creating: a retry after a lost answer finds the activity instead of adding one.
// Activities have no custom fields: the tenant's field mapping names top-level activity fields
// (`public_description`, `location`…), and the fields Callsight sets here win over it (the note
// carries the reference tag).

export type ActivityBody = Record<string, string | number | boolean | null>;

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** The tag that identifies what Callsight wrote: `[callsight:call:<id>]`, `[callsight:task:<id>]`. */
export const referenceTag = (kind: 'call' | 'task' | 'do-not-call', id?: string) =>
  `[callsight:${kind}${id === undefined ? '' : `:${escapeHtml(id)}`}]`;

const footer = (tag: string) => `<p><small>${tag}</small></p>`;

/** Plain text becomes paragraphs; anything with tags is taken as the simple HTML it claims to be. */
function asHtml(body: string): string {
  if (/<[a-z][\s\S]*>/i.test(body)) return body;
  return body
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

/** `YYYY-MM-DD` and `HH:MM` in UTC, which is how Pipedrive reads due_date / due_time. */
const utcDate = (iso: string) => new Date(iso).toISOString().slice(0, 10);
const utcTime = (iso: string) => new Date(iso).toISOString().slice(11, 16);

/** Pipedrive durations are HH:MM: round to the minute, and never show a real call as 00:00. */
export function duration(seconds: number | null): string | null {
  if (seconds === null) return null;
  const minutes = seconds > 0 ? Math.max(1, Math.round(seconds / 60)) : 0;
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

const numericId = (ref: CrmRef) => (/^\d+$/.test(ref.id) ? Number(ref.id) : null);

/** Where an activity hangs: the person, plus the deal (numeric id) or the lead (UUID). */
function links(contact: CrmRef, deal: CrmRef | null, ownerId: string | null): ActivityBody {
  return {
    person_id: numericId(contact),
    ...(deal?.type === 'deal' ? { deal_id: numericId(deal) } : {}),
    ...(deal?.type === 'lead' ? { lead_id: deal.id } : {}),
    ...(ownerId && /^\d+$/.test(ownerId) ? { owner_id: Number(ownerId) } : {}),
  };
}

export function callActivityBody(input: CallLog): ActivityBody {
  const recording = input.recordingUrl
    ? `<p><a href="${escapeHtml(input.recordingUrl)}">Listen to the recording</a></p>`
    : '';
  return {
    ...input.properties,
    subject: input.title.slice(0, 255),
    type: 'call',
    ...links(input.contact, input.deal, input.ownerId),
    due_date: utcDate(input.startedAt),
    due_time: utcTime(input.startedAt),
    duration: duration(input.durationSeconds),
    done: input.outcome !== 'in_progress',
    note: `${asHtml(input.body)}${recording}${footer(referenceTag('call', input.externalId))}`,
  };
}

export function taskActivityBody(input: NewTask, type: string): ActivityBody {
  return {
    ...input.properties,
    subject: input.subject.slice(0, 255),
    type,
    ...links(input.contact, input.deal, input.ownerId),
    due_date: utcDate(input.dueAt),
    due_time: utcTime(input.dueAt),
    done: false,
    note: `${asHtml(input.body)}${footer(referenceTag('task', input.externalId))}`,
  };
}

export const doNotCallNote = () =>
  `<p><b>Do not call.</b> The caller asked not to be called again (recorded by Callsight).</p>${footer(referenceTag('do-not-call'))}`;

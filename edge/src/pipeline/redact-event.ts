// PII never reaches storage: the transcript and the source's own analysis are masked before the
// call row is written, and so are the string values of the raw delivery kept for replay.
import type { CallEvent } from '@callsight/shared';
import { redactPii } from '../analysis';

function redactValue(value: unknown, count: { n: number }): unknown {
  if (typeof value === 'string') {
    const r = redactPii(value);
    count.n += r.total;
    return r.text;
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(v, count));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, count)]));
  }
  return value;
}

export function redactCallEvent(event: CallEvent): { event: CallEvent; redactions: number } {
  const count = { n: 0 };
  const transcript = event.transcript === null ? null : (redactValue(event.transcript, count) as string);
  const sourceAnalysis =
    event.sourceAnalysis === null ? null : (redactValue(event.sourceAnalysis, count) as Record<string, unknown>);
  return { event: { ...event, transcript, sourceAnalysis }, redactions: count.n };
}

/**
 * The raw delivery as stored: JSON keeps its shape with masked string values (numbers such as
 * ids are left alone); form and query bodies have each value masked. Unchanged when clean.
 */
export function redactRawBody(text: string): string {
  const count = { n: 0 };
  try {
    const parsed: unknown = JSON.parse(text);
    const clean = redactValue(parsed, count);
    return count.n === 0 ? text : JSON.stringify(clean);
  } catch {
    if (!text.includes('=')) return redactPii(text).text;
    const params = new URLSearchParams(text);
    for (const [key, value] of [...params]) params.set(key, redactValue(value, count) as string);
    return count.n === 0 ? text : params.toString();
  }
}

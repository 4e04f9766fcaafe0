// Signed CallRail deliveries as CallRail sends them (the demo's sample shape, its signature
// scheme), with distinct call ids, varied callers and start times, and some transcripts.
import { callrailHeaders } from '../../edge/src/demo/sign';
import { callrailCall } from '../../edge/src/demo/samples';

export interface SignedWebhook {
  /** CallRail's call id, as sent in the body's `id`. */
  sourceCallId: string;
  body: string;
  headers: Record<string, string>;
  hasTranscript: boolean;
}

const TRANSCRIPT =
  'Agent: Thanks for calling Demo Home Services, this is Sam.\n' +
  'Caller: Hi, we want to redo our kitchen this spring, budget is around 40k.\n' +
  'Agent: Great, can we book a visit next week?\nCaller: Yes, Tuesday works.';

export interface WebhookSetOptions {
  /** The first CallRail call id; the set uses `firstId`, `firstId + 1`, ... */
  firstId: number;
  /** Every n-th call carries a transcript (0: none). */
  transcriptEvery?: number;
  /** How many different caller numbers the set cycles through (repeat callers are normal). */
  callers?: number;
}

/** The body of delivery `i` of a set: valid US numbers, a start time a minute apart. */
export function callrailBody(i: number, options: WebhookSetOptions): { id: string; body: string; transcript: boolean } {
  const id = options.firstId + i;
  const caller = i % (options.callers ?? 500);
  const every = options.transcriptEvery ?? 3;
  const transcript = every > 0 && i % every === 0;
  const body = JSON.stringify(
    callrailCall({
      id,
      phone: `+1214865${String(caller).padStart(4, '0')}`,
      name: `Caller ${caller}`,
      startTime: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString(),
      ...(transcript ? { transcription: TRANSCRIPT } : {}),
    }),
  );
  return { id: String(id), body, transcript };
}

export async function signedCallrailWebhook(
  token: string,
  i: number,
  options: WebhookSetOptions,
): Promise<SignedWebhook> {
  const { id, body, transcript } = callrailBody(i, options);
  return { sourceCallId: id, body, headers: await callrailHeaders(token, body), hasTranscript: transcript };
}

/** `count` signed deliveries, built up front so signing costs nothing while the load runs. */
export async function signedCallrailWebhooks(
  token: string,
  count: number,
  options: WebhookSetOptions,
): Promise<SignedWebhook[]> {
  const out: SignedWebhook[] = [];
  for (let i = 0; i < count; i++) out.push(await signedCallrailWebhook(token, i, options));
  return out;
}

export const callrailPath = (slug: string) => `/v1/webhooks/callrail/${slug}`;

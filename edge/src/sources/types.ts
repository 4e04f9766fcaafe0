import type { CallEvent, CallSource } from '@callsight/shared';

/** A webhook request as the sources see it: the exact bytes, before anything parsed them. */
export interface WebhookRequest {
  method: string;
  body: Uint8Array<ArrayBuffer>;
  text: string;
  headers: Headers;
  query: URLSearchParams;
}

export type Verification = { ok: true } | { ok: false; reason: RejectionReason; message: string };

export type RejectionReason = 'missing_signature' | 'bad_signature' | 'stale_signature' | 'bad_credentials';

export interface SourceContext {
  /** ISO country for numbers without a country code: the integration's, else the tenant's. */
  defaultCountry: string;
  options: Record<string, unknown>;
}

export type ParseResult = { ok: true; event: CallEvent } | { ok: false; field: string; message: string };

/** One call source: how its deliveries are authenticated and how they become a CallEvent. */
export interface SourceAdapter {
  name: CallSource;
  methods: readonly string[];
  /** Request headers worth keeping with the delivery (signature, content type, user agent). */
  keptHeaders: readonly string[];
  verify(req: WebhookRequest, secret: string, options: Record<string, unknown>, now: number): Promise<Verification>;
  parse(req: WebhookRequest, ctx: SourceContext): ParseResult;
}

export class PayloadError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * An error the API answers with, in the one envelope every route uses:
 * `{ error: { code, message, details } }`. Codes are stable; messages are for people.
 */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  toBody() {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } };
  }
}

export const badRequest = (code: string, message: string, details?: Record<string, unknown>) =>
  new ApiError(400, code, message, details);
export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);

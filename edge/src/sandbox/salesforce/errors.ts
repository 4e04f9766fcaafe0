import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** One entry of Salesforce's REST error array. `fields` only comes with record (DML) errors. */
export interface SalesforceErrorEntry {
  message: string;
  errorCode: string;
  fields?: string[];
  [extra: string]: unknown;
}

/** A failure the sandbox answers with Salesforce's own status and error array. */
export class SalesforceApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly errors: SalesforceErrorEntry[],
  ) {
    super(errors.map((e) => `${e.errorCode}: ${e.message}`).join('; '));
  }
}

export const sfError = (status: ContentfulStatusCode, errorCode: string, message: string, fields?: string[]) =>
  new SalesforceApiError(status, [{ message, errorCode, ...(fields ? { fields } : {}) }]);

export const notFound = () => sfError(404, 'NOT_FOUND', 'The requested resource does not exist');

export const invalidSession = () => sfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');

export const malformedQuery = (message: string) => sfError(400, 'MALFORMED_QUERY', message);

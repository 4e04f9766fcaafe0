import type { ContentfulStatusCode } from 'hono/utils/http-status';

// Pipedrive wraps every answer: `{ success: true, data, additional_data }` on success and
// `{ success: false, error, error_info, data: null, additional_data: null }` on failure (the
// shape its v1 docs show; v2 keeps `success` and `error`). `errorCode` repeats the status.

const ERROR_INFO = 'Please check developers.pipedrive.com for more information about Pipedrive API.';

export class PipedriveApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toBody() {
    return {
      success: false,
      error: this.message,
      errorCode: this.status,
      error_info: ERROR_INFO,
      data: null,
      additional_data: null,
    };
  }
}

export const badRequest = (message: string) => new PipedriveApiError(400, message);
export const notFound = (what: string) => new PipedriveApiError(404, `${what} not found`);

// HubSpot's error bodies (reference crm-apis.md §1.12, OpenAPI schema `Error`: category,
// correlationId and message required; `status: 'error'` as the live API adds it) and the 429
// bodies of §1.11.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export interface HubspotErrorBody {
  status: 'error';
  message: string;
  correlationId: string;
  category: string;
  subCategory?: string;
  context?: Record<string, string[]>;
  errors?: { message: string; code?: string; in?: string; context?: Record<string, string[]> }[];
  links?: Record<string, string>;
}

export type RateLimitPolicy = 'TEN_SECONDLY_ROLLING' | 'SECONDLY' | 'DAILY';

export interface RateLimitBody {
  status: 'error';
  message: string;
  errorType: 'RATE_LIMIT';
  correlationId: string;
  policyName: RateLimitPolicy;
}

/** Thrown by handlers; the sandbox's onError turns it into HubSpot's body. */
export class HubspotApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly category: string,
    message: string,
    readonly extra: Partial<Omit<HubspotErrorBody, 'status' | 'message' | 'correlationId' | 'category'>> = {},
  ) {
    super(message);
  }

  body(): HubspotErrorBody {
    return {
      status: 'error',
      message: this.message,
      correlationId: crypto.randomUUID(),
      category: this.category,
      ...this.extra,
    };
  }
}

export function errorResponse(c: Context, err: HubspotApiError): Response {
  return c.json(err.body(), err.status);
}

/** One property error inside HubSpot's "Property values were not valid" message. */
export interface PropertyValueError {
  name: string;
  error: string;
  message: string;
}

/**
 * HubSpot reports bad property values as a 400 whose message embeds a JSON array of per-property
 * errors (`isValid`, `message`, `error`, `name`, `localizedErrorMessage`): clients show that
 * message as is, so the sandbox writes it the same way.
 */
export function invalidProperties(errors: PropertyValueError[], portalId: number): HubspotApiError {
  const detail = errors.map((e) => ({
    isValid: false,
    message: e.message,
    error: e.error,
    name: e.name,
    localizedErrorMessage: e.message,
    portalId,
  }));
  return new HubspotApiError(400, 'VALIDATION_ERROR', `Property values were not valid: ${JSON.stringify(detail)}`);
}

export const validationError = (message: string, extra?: HubspotApiError['extra']) =>
  new HubspotApiError(400, 'VALIDATION_ERROR', message, extra);

export const objectNotFound = (id: string) =>
  new HubspotApiError(404, 'OBJECT_NOT_FOUND', 'Object not found.  objectId are usually numeric.', {
    context: { id: [id] },
  });

export const RATE_LIMIT_MESSAGES: Record<RateLimitPolicy, string> = {
  TEN_SECONDLY_ROLLING: 'You have reached your ten_secondly_rolling limit.',
  SECONDLY: 'You have reached your secondly limit.',
  DAILY: 'You have reached your daily limit.',
};

export function rateLimitBody(policyName: RateLimitPolicy): RateLimitBody {
  return {
    status: 'error',
    message: RATE_LIMIT_MESSAGES[policyName],
    errorType: 'RATE_LIMIT',
    correlationId: crypto.randomUUID(),
    policyName,
  };
}

export const INVALID_AUTHENTICATION_MESSAGE =
  'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview';

export function missingScopes(scope: string): HubspotApiError {
  return new HubspotApiError(
    403,
    'MISSING_SCOPES',
    "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
    {
      errors: [
        { message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: [scope] } },
      ],
      links: { scopes: 'https://developers.hubspot.com/scopes' },
    },
  );
}

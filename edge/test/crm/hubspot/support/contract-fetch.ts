// A fetch that checks every exchange against HubSpot's OpenAPI documents on its way through: the
// adapter's request bodies against the request schemas, the sandbox's answers against the
// response schemas of their status codes.
import type { FetchLike } from '../../../../src/crm/hubspot/http';
import { findOperation, requestSchema, responseSchema, validate, type OpenApiDocument } from './openapi';

export interface CheckedExchange {
  method: string;
  path: string;
  /** `contacts.json POST /crm/v3/objects/contacts`, or null when no document covers the path. */
  operation: string | null;
  status: number;
  requestErrors: string[];
  responseErrors: string[];
}

export function contractCheckingFetch(
  inner: FetchLike,
  docs: Map<string, OpenApiDocument>,
  basePath: string,
  log: CheckedExchange[],
): FetchLike {
  return async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const path = url.pathname.slice(basePath.length) || '/';
    const method = request.method;
    const match = findOperation(docs, method, path);
    const bodyText = init?.body && typeof init.body === 'string' ? init.body : null;
    const requestErrors: string[] = [];
    const reqSchema = match ? requestSchema(match) : null;
    if (match && reqSchema && bodyText) requestErrors.push(...validate(match.doc, reqSchema, JSON.parse(bodyText)));

    const res = await inner(input, init);
    const text = await res.clone().text();
    const responseErrors: string[] = [];
    const resSchema = match ? responseSchema(match, res.status) : null;
    if (match && resSchema && text) responseErrors.push(...validate(match.doc, resSchema, JSON.parse(text)));
    log.push({
      method,
      path,
      operation: match ? `${match.file} ${method} ${match.template}` : null,
      status: res.status,
      requestErrors,
      responseErrors,
    });
    return res;
  };
}

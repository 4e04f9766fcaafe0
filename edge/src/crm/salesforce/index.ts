export { createSalesforceAdapter, type SalesforceAdapterOptions } from './adapter';
export type { FetchLike } from './client';
export { REQUEST_LIMIT_RETRY_MS } from './errors';

export { createPipedriveAdapter, type PipedriveAdapterOptions } from './adapter';
export type { FetchLike } from './client';

import type { CallSource } from '@callsight/shared';
import { callrail } from './callrail';
import { retell } from './retell';
import { ringostat } from './ringostat';
import type { SourceAdapter } from './types';

export const sources: Record<CallSource, SourceAdapter> = { callrail, retell, ringostat };
export type { SourceAdapter, WebhookRequest } from './types';

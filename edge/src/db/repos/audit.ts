import type { Db } from '../client';
import { auditLog } from '../schema';
import { newId } from '../../auth/digest';

export interface AuditEntry {
  actor: string;
  action: string;
  target?: string;
  details?: Record<string, unknown>;
}

export function auditInsert(db: Db, tenantId: string, entry: AuditEntry, now: number) {
  return db.insert(auditLog).values({
    id: newId('aud'),
    tenantId,
    actor: entry.actor,
    action: entry.action,
    target: entry.target ?? null,
    details: entry.details ?? {},
    at: now,
  });
}

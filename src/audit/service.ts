import type { Database } from '../db/client';
import { auditLog } from './schema';

export interface Actor {
  userId: string;
  role: string;
  officeCode: string;
}

export interface AuditEntry {
  actor: Actor | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before?: unknown;
  after?: unknown;
  requestId?: string | null;
}

/** Writes one audit record. Pass the transaction of the change it describes, so both commit or neither. */
export async function recordAudit(db: Database, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    actorId: entry.actor?.userId ?? null,
    actorRole: entry.actor?.role ?? null,
    officeCode: entry.actor?.officeCode ?? null,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    before: entry.before ?? null,
    after: entry.after ?? null,
    requestId: entry.requestId ?? null,
  });
}

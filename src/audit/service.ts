import type { Database } from '../db/client';
import { storableJson, storableText } from './chain';
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

const text = (value: string | null | undefined) => (value === null || value === undefined ? null : storableText(value));

/** The audit_log row of an entry, its text made storable (see chain.ts). */
export function auditRow(entry: AuditEntry) {
  return {
    actorId: text(entry.actor?.userId),
    actorRole: text(entry.actor?.role),
    officeCode: text(entry.actor?.officeCode),
    action: storableText(entry.action),
    targetType: storableText(entry.targetType),
    targetId: text(entry.targetId),
    before: storableJson(entry.before),
    after: storableJson(entry.after),
    requestId: text(entry.requestId),
  };
}

/**
 * Writes one audit record. Pass the transaction of the change it describes, so both commit or
 * neither; given the pool instead, it is written on its own.
 *
 * The record is not hash-chained here: a trigger queues it for the sealer (sealer.ts), which chains
 * committed records one at a time. Chaining in line would need one lock held by every writing
 * transaction until it commits, which serialised the whole service.
 */
export async function recordAudit(db: Database, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values(auditRow(entry));
}

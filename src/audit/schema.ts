import { bigserial, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Append-only, hash-chained record of every state change: who (actor, role, office) did what to
 * which thing, and when. Each record holds the hash of the record before it and its own hash over a
 * canonical serialisation (see chain.ts); a trigger refuses UPDATE, DELETE and TRUNCATE.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorId: text('actor_id'),
    actorRole: text('actor_role'),
    officeCode: text('office_code'),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    requestId: text('request_id'),
    /** The previous record's hash (the genesis value for the first chained record). Null only on records written before chaining. */
    prevHash: text('prev_hash'),
    /** SHA-256 over this record's canonical serialisation, prevHash included. */
    hash: text('hash'),
  },
  (t) => [
    index('audit_log_target_idx').on(t.targetType, t.targetId),
    index('audit_log_at_idx').on(t.at),
    index('audit_log_action_idx').on(t.action, t.id),
    index('audit_log_actor_idx').on(t.actorId, t.id),
    index('audit_log_office_idx').on(t.officeCode, t.id),
  ],
);

export type AuditRow = typeof auditLog.$inferSelect;

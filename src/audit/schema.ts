import { bigint, bigserial, index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Append-only record of every state change: who (actor, role, office) did what to which thing, and
 * when. A trigger refuses UPDATE, DELETE and TRUNCATE. Records are written in the transaction of the
 * change they describe and hash-chained shortly after by the sealer (see sealer.ts and auditSeals).
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
    /**
     * Set only on records chained in line, in their own transaction (migrations 0004 to 0010); every
     * later record is chained by a seal in audit_seals instead.
     */
    prevHash: text('prev_hash'),
    /** SHA-256 over the in-line record's canonical serialisation (format 1), prevHash included. */
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

/**
 * The hash chain over audit records, one seal per record, in the order the sealer found them
 * committed. A seal's hash covers its sequence number, its record's contents and the previous seal's
 * hash (format 2, chain.ts). Append-only, like audit_log.
 */
export const auditSeals = pgTable(
  'audit_seals',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    auditId: bigint('audit_id', { mode: 'number' }).notNull(),
    sealedAt: timestamp('sealed_at', { withTimezone: true }).notNull().defaultNow(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [uniqueIndex('audit_seals_audit_id_unique').on(t.auditId)],
);

/** Audit records committed but not sealed yet; a trigger on audit_log fills it, the sealer drains it. */
export const auditUnsealed = pgTable('audit_unsealed', {
  auditId: bigint('audit_id', { mode: 'number' }).primaryKey(),
});

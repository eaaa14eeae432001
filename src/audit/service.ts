import { is, sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Database, Transaction } from '../db/client';
import { GENESIS_HASH, recordHash, storableJson, storableText } from './chain';
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

/**
 * Any fixed number: names the transaction-scoped advisory lock that serialises appends to the chain.
 * (The migration lock in src/db/migrate.ts uses 724_217_001.)
 */
export const AUDIT_CHAIN_LOCK_KEY = 724_217_012;

const text = (value: string | null | undefined) => (value === null || value === undefined ? null : storableText(value));

/**
 * Writes one audit record, chained to the one before it. Pass the transaction of the change it
 * describes, so both commit or neither; given the pool instead, it opens a transaction of its own.
 *
 * Appends are serialised by a transaction-scoped advisory lock held until commit, so records are
 * chained in one total order even when many transactions write at once: the next writer waits for the
 * lock, then reads the latest committed hash. The lock is taken in its own statement, before the read:
 * in READ COMMITTED each statement takes a fresh snapshot, so the read sees the previous holder's commit.
 * A REPEATABLE READ or SERIALIZABLE snapshot could predate that commit and fork the chain, so those
 * isolation levels are refused.
 */
export async function recordAudit(db: Database, entry: AuditEntry): Promise<void> {
  if (!is(db, PgTransaction)) {
    await db.transaction((tx) => appendToChain(tx, entry));
    return;
  }
  await appendToChain(db as Transaction, entry);
}

interface ChainHead extends Record<string, unknown> {
  id: string;
  at_ms: string;
  prev_hash: string | null;
  isolation: string;
}

async function appendToChain(tx: Transaction, entry: AuditEntry): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_KEY})`);
  const { rows } = await tx.execute<ChainHead>(sql`
    SELECT nextval(pg_get_serial_sequence('audit_log', 'id'))::text AS id,
      (extract(epoch FROM date_trunc('milliseconds', now())) * 1000)::bigint::text AS at_ms,
      (SELECT hash FROM audit_log WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1) AS prev_hash,
      current_setting('transaction_isolation') AS isolation`);
  const head = rows[0];
  if (!head) throw new Error('audit chain head query returned no row');
  if (head.isolation !== 'read committed') {
    throw new Error(`recordAudit needs a READ COMMITTED transaction to chain correctly, not ${head.isolation}`);
  }
  const record = {
    id: Number(head.id),
    // The transaction's time, truncated to what a JS Date holds, so it round-trips exactly.
    at: new Date(Number(head.at_ms)),
    actorId: text(entry.actor?.userId),
    actorRole: text(entry.actor?.role),
    officeCode: text(entry.actor?.officeCode),
    action: storableText(entry.action),
    targetType: storableText(entry.targetType),
    targetId: text(entry.targetId),
    before: storableJson(entry.before),
    after: storableJson(entry.after),
    requestId: text(entry.requestId),
    prevHash: head.prev_hash ?? GENESIS_HASH,
  };
  await tx.insert(auditLog).values({ ...record, hash: recordHash(record) });
}

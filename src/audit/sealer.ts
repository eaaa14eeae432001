import { sql } from 'drizzle-orm';
import type { AppDependencies } from '../deps';
import type { RootDatabase, Transaction } from '../db/client';
import { GENESIS_HASH, sealHash, type SealedFields } from './chain';
import { auditSeals } from './schema';

/**
 * Any fixed number: names the advisory lock that lets one sealer at a time extend the chain.
 * (The migration lock in src/db/migrate.ts uses 724_217_001.)
 */
export const AUDIT_SEALER_LOCK_KEY = 724_217_012;

export const AUDIT_SEAL_JOB = 'audit.seal';

/** An audit record as stored, with its time in whole microseconds, as a seal covers it. */
export interface StoredAuditRecord extends Record<string, unknown> {
  id: string;
  at_us: string;
  actor_id: string | null;
  actor_role: string | null;
  office_code: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  before: unknown;
  after: unknown;
  request_id: string | null;
}

export const storedRecordColumns = sql.raw(`a.id::text AS id, (extract(epoch FROM a.at) * 1000000)::bigint::text AS at_us,
  a.actor_id, a.actor_role, a.office_code, a.action, a.target_type, a.target_id, a.before, a.after, a.request_id`);

/** The fields a seal covers, read back from a stored record. */
export function sealedFieldsOf(row: StoredAuditRecord, prevHash: string): SealedFields {
  return {
    id: Number(row.id),
    atMicros: row.at_us,
    actorId: row.actor_id,
    actorRole: row.actor_role,
    officeCode: row.office_code,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    before: row.before,
    after: row.after,
    requestId: row.request_id,
    prevHash,
  };
}

export interface SealResult {
  sealed: number;
  /** Another sealer held the lock, so this one left the work to it. */
  busy: boolean;
}

/**
 * Chains committed, unsealed audit records onto the end of the seal chain, a page per transaction,
 * until none are left. Only one sealer extends the chain at a time (a try-lock: a second one returns
 * at once, busy). Its transaction reads the chain's head after taking the lock, takes a page of queued
 * records, and writes their seals, so a record is sealed exactly once and the chain never forks.
 */
export async function sealAuditRecords(db: RootDatabase, pageSize = 2_000): Promise<SealResult> {
  let sealed = 0;
  for (;;) {
    const page = await db.transaction((tx) => sealPage(tx, pageSize));
    if (page === null) return { sealed, busy: true };
    sealed += page;
    if (page < pageSize) return { sealed, busy: false };
  }
}

interface ChainEnd extends Record<string, unknown> {
  seq: string | null;
  hash: string | null;
  inline_hash: string | null;
}

async function sealPage(tx: Transaction, pageSize: number): Promise<number | null> {
  const { rows: lock } = await tx.execute<{ locked: boolean }>(sql`SELECT pg_try_advisory_xact_lock(${AUDIT_SEALER_LOCK_KEY}) AS locked`);
  if (!lock[0]?.locked) return null;
  const { rows: ends } = await tx.execute<ChainEnd>(sql`
    SELECT (SELECT s.seq::text FROM audit_seals s ORDER BY s.seq DESC LIMIT 1) AS seq,
      (SELECT s.hash FROM audit_seals s ORDER BY s.seq DESC LIMIT 1) AS hash,
      (SELECT hash FROM audit_log WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1) AS inline_hash`);
  const end = ends[0];
  let seq = end?.seq === null || end?.seq === undefined ? 0 : Number(end.seq);
  // The first seal continues the in-line chain of older records, when there is one.
  let prevHash = end?.hash ?? end?.inline_hash ?? GENESIS_HASH;
  const { rows } = await tx.execute<StoredAuditRecord>(sql`
    WITH taken AS (
      DELETE FROM audit_unsealed
      WHERE audit_id IN (SELECT audit_id FROM audit_unsealed ORDER BY audit_id LIMIT ${pageSize})
      RETURNING audit_id
    )
    SELECT ${storedRecordColumns} FROM audit_log a JOIN taken ON taken.audit_id = a.id ORDER BY a.id`);
  if (rows.length === 0) return 0;
  const seals = rows.map((row) => {
    const fields = sealedFieldsOf(row, prevHash);
    seq += 1;
    const seal = { seq, auditId: fields.id, prevHash, hash: sealHash(seq, fields) };
    prevHash = seal.hash;
    return seal;
  });
  await tx.insert(auditSeals).values(seals);
  return rows.length;
}

/** Seals new audit records every AUDIT_SEAL_EVERY_MS, once across all processes. */
export async function registerAuditJobs(deps: AppDependencies): Promise<void> {
  deps.jobs.register(AUDIT_SEAL_JOB, async () => {
    await sealAuditRecords(deps.db);
  });
  await deps.jobs.repeat(AUDIT_SEAL_JOB, deps.config.AUDIT_SEAL_EVERY_MS);
}

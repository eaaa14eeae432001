import { and, desc, eq, gte, like, lt, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { RootDatabase } from '../db/client';
import { cursorCodec } from '../http/pagination';
import { GENESIS_HASH, recordHash, sealHash } from './chain';
import { sealedFieldsOf, storedRecordColumns, type StoredAuditRecord } from './sealer';
import { auditLog, auditSeals, type AuditRow } from './schema';

export interface AuditFilters {
  /** An exact action (`case.decided`) or a prefix ending in `.*` (`case.*`). */
  action?: string | undefined;
  actor?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  /** null: every office. */
  office: string | null;
  from?: Date | undefined;
  to?: Date | undefined;
  cursor?: string | undefined;
  limit: number;
}

/** Audit ids are a bigserial, so the cursor is just the last id seen (newest first). */
const cursorSchema = z.strictObject({ id: z.number().int().positive() });

const auditCursor = cursorCodec(cursorSchema);
export const encodeAuditCursor = (id: number) => auditCursor.encode({ id });
const decodeAuditCursor = (raw: string | undefined): number | undefined => auditCursor.decode(raw)?.id;

function actionCondition(action: string): SQL {
  if (!action.endsWith('.*')) return eq(auditLog.action, action);
  const prefix = action.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`);
  return like(auditLog.action, `${prefix}%`);
}

/** Audit records newest first, filtered, one keyset page at a time. */
export async function listAudit(db: RootDatabase, filters: AuditFilters) {
  const after = decodeAuditCursor(filters.cursor);
  const conditions = [
    filters.office !== null ? eq(auditLog.officeCode, filters.office) : undefined,
    filters.action ? actionCondition(filters.action) : undefined,
    filters.actor ? eq(auditLog.actorId, filters.actor) : undefined,
    filters.targetType ? eq(auditLog.targetType, filters.targetType) : undefined,
    filters.targetId ? eq(auditLog.targetId, filters.targetId) : undefined,
    filters.from ? gte(auditLog.at, filters.from) : undefined,
    filters.to ? lt(auditLog.at, filters.to) : undefined,
    after !== undefined ? lt(auditLog.id, after) : undefined,
  ];
  const rows = await db
    .select({ record: auditLog, seal: { seq: auditSeals.seq, prevHash: auditSeals.prevHash, hash: auditSeals.hash } })
    .from(auditLog)
    .leftJoin(auditSeals, eq(auditSeals.auditId, auditLog.id))
    .where(and(...conditions))
    .orderBy(desc(auditLog.id))
    .limit(filters.limit + 1);
  const items = rows.slice(0, filters.limit).map(auditView);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > filters.limit && last ? encodeAuditCursor(last.id) : null };
}

type SealLink = { seq: number; prevHash: string; hash: string } | null;

/** A record with its link in the chain: its seal, or its in-line hash; null hashes while it waits for the sealer. */
function auditView({ record: row, seal }: { record: AuditRow; seal: SealLink }) {
  return {
    id: row.id,
    at: row.at,
    actor: row.actorId === null && row.actorRole === null ? null : { id: row.actorId, role: row.actorRole, officeCode: row.officeCode },
    action: row.action,
    target: { type: row.targetType, id: row.targetId },
    before: row.before,
    after: row.after,
    requestId: row.requestId,
    seq: seal?.seq ?? null,
    prevHash: seal?.prevHash ?? row.prevHash,
    hash: seal?.hash ?? row.hash,
  };
}

export type ChainProblem = 'unchained' | 'broken_link' | 'hash_mismatch' | 'record_missing';

export interface BrokenLink {
  /** The audit record at which the chain does not hold. */
  id: number;
  /** Its seal's sequence number; null for records chained in line, or not sealed at all. */
  seq: number | null;
  problem: ChainProblem;
  message: string;
  /** The record before it in the chain, when there is one. */
  previousId: number | null;
}

export interface ChainReport {
  ok: boolean;
  /** Chained records checked (in line, then sealed), up to and including the broken one. */
  checked: number;
  /** Records committed but not chained yet: the sealer chains them within seconds. */
  pending: { count: number; oldestAt: Date | null };
  /** The newest link checked: publish or store its hash elsewhere to anchor the chain. */
  head: { id: number; seq: number | null; hash: string } | null;
  firstBroken: BrokenLink | null;
}

interface InlineRecord extends StoredAuditRecord {
  at_ms: string;
  prev_hash: string;
  hash: string;
}

interface SealRow extends Record<string, unknown> {
  seq: string;
  audit_id: string;
  seal_prev_hash: string;
  seal_hash: string;
  record: StoredAuditRecord | null;
}

const brokenLinkMessage = (previousId: number | null) =>
  previousId === null
    ? 'The first chained record does not start from the genesis hash: records before it were removed or it was re-linked'
    : `The link to the record before it (id ${previousId}) does not hold: a record between them was removed or inserted, or the previous record was changed and re-hashed`;
const changedMessage = "The record's contents do not match its hash: it was changed after it was written";

/**
 * Checks the whole audit trail and reports the first place it does not hold. The chain has two
 * parts: records chained in line when they were written (before migration 0011), by id, then seals
 * (audit_seals), by sequence number, the first continuing from the last in-line hash. It finds a
 * record changed after it was sealed (its hash no longer matches), a link removed or inserted (a
 * prevHash that is not the hash before it), a sealed record that is gone, and a record that is
 * neither chained nor waiting for the sealer (written around the chain). Seals are only ever
 * appended by one sealer, in sequence order, so reading by sequence while new ones arrive sees a
 * consistent prefix.
 */
export async function verifyChain(db: RootDatabase, batchSize = 1000): Promise<ChainReport> {
  let checked = 0;
  let expectedPrev = GENESIS_HASH;
  let previousId: number | null = null;
  let head: ChainReport['head'] = null;
  const report = async (firstBroken: BrokenLink | null): Promise<ChainReport> => ({
    ok: firstBroken === null,
    checked,
    pending: await pendingSeals(db),
    head,
    firstBroken,
  });
  const broken = (id: number, seq: number | null, problem: ChainProblem, message: string) => report({ id, seq, problem, message, previousId });

  for (let lastId = 0; ; ) {
    const { rows } = await db.execute<InlineRecord>(sql`
      SELECT ${storedRecordColumns}, (extract(epoch FROM a.at) * 1000)::text AS at_ms, a.prev_hash, a.hash
      FROM audit_log a WHERE a.id > ${lastId} AND a.hash IS NOT NULL ORDER BY a.id ASC LIMIT ${batchSize}`);
    for (const row of rows) {
      const id = Number(row.id);
      lastId = id;
      checked++;
      if (row.prev_hash !== expectedPrev) return broken(id, null, 'broken_link', brokenLinkMessage(previousId));
      const atMs = Number(row.at_ms);
      const fields = { ...sealedFieldsOf(row, row.prev_hash), at: new Date(atMs) };
      if (!Number.isInteger(atMs) || recordHash(fields) !== row.hash) return broken(id, null, 'hash_mismatch', changedMessage);
      expectedPrev = row.hash;
      previousId = id;
      head = { id, seq: null, hash: row.hash };
    }
    if (rows.length < batchSize) break;
  }

  for (let lastSeq = 0; ; ) {
    const { rows } = await db.execute<SealRow>(sql`
      SELECT s.seq::text AS seq, s.audit_id::text AS audit_id, s.prev_hash AS seal_prev_hash, s.hash AS seal_hash,
        (SELECT to_jsonb(r) FROM (SELECT ${storedRecordColumns} FROM audit_log a WHERE a.id = s.audit_id) r) AS record
      FROM audit_seals s WHERE s.seq > ${lastSeq} ORDER BY s.seq ASC LIMIT ${batchSize}`);
    for (const row of rows) {
      const seq = Number(row.seq);
      const id = Number(row.audit_id);
      lastSeq = seq;
      checked++;
      if (row.seal_prev_hash !== expectedPrev) return broken(id, seq, 'broken_link', brokenLinkMessage(previousId));
      if (row.record === null) {
        return broken(id, seq, 'record_missing', 'The record was sealed but is no longer in the audit log: it was removed');
      }
      if (sealHash(seq, sealedFieldsOf(row.record, row.seal_prev_hash)) !== row.seal_hash) return broken(id, seq, 'hash_mismatch', changedMessage);
      expectedPrev = row.seal_hash;
      previousId = id;
      head = { id, seq, hash: row.seal_hash };
    }
    if (rows.length < batchSize) break;
  }

  const { rows: strays } = await db.execute<{ id: string }>(sql`
    SELECT a.id::text AS id FROM audit_log a
    WHERE a.hash IS NULL
      AND NOT EXISTS (SELECT 1 FROM audit_seals s WHERE s.audit_id = a.id)
      AND NOT EXISTS (SELECT 1 FROM audit_unsealed u WHERE u.audit_id = a.id)
    ORDER BY a.id LIMIT 1`);
  const stray = strays[0];
  if (stray) {
    const message = 'The record is neither chained nor waiting to be sealed: it was written around the chain, or taken out of the sealing queue';
    return report({ id: Number(stray.id), seq: null, problem: 'unchained', message, previousId: null });
  }
  return report(null);
}

/** Committed records the sealer has not chained yet. */
export async function pendingSeals(db: RootDatabase): Promise<ChainReport['pending']> {
  const { rows } = await db.execute<{ count: string; oldest_ms: string | null }>(sql`
    SELECT count(*)::text AS count, (extract(epoch FROM min(a.at)) * 1000)::bigint::text AS oldest_ms
    FROM audit_unsealed u JOIN audit_log a ON a.id = u.audit_id`);
  const row = rows[0];
  return { count: Number(row?.count ?? 0), oldestAt: row?.oldest_ms ? new Date(Number(row.oldest_ms)) : null };
}

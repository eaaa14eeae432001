import { and, desc, eq, gte, like, lt, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { RootDatabase } from '../db/client';
import { badRequest } from '../http/errors';
import { GENESIS_HASH, recordHash } from './chain';
import { auditLog, type AuditRow } from './schema';

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
const cursorSchema = z.object({ id: z.number().int().positive() });

export const encodeAuditCursor = (id: number) => Buffer.from(JSON.stringify({ id })).toString('base64url');

function decodeAuditCursor(raw: string | undefined): number | undefined {
  if (!raw) return undefined;
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'))).id;
  } catch {
    throw badRequest('cursor is not a cursor this API issued', [{ path: 'cursor', message: 'invalid cursor' }]);
  }
}

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
    .select()
    .from(auditLog)
    .where(and(...conditions))
    .orderBy(desc(auditLog.id))
    .limit(filters.limit + 1);
  const items = rows.slice(0, filters.limit).map(auditView);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > filters.limit && last ? encodeAuditCursor(last.id) : null };
}

export function auditView(row: AuditRow) {
  return {
    id: row.id,
    at: row.at,
    actor: row.actorId === null && row.actorRole === null ? null : { id: row.actorId, role: row.actorRole, officeCode: row.officeCode },
    action: row.action,
    target: { type: row.targetType, id: row.targetId },
    before: row.before,
    after: row.after,
    requestId: row.requestId,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

export type ChainProblem = 'unchained' | 'broken_link' | 'hash_mismatch';

export interface BrokenLink {
  /** The first record at which the chain does not hold. */
  id: number;
  problem: ChainProblem;
  message: string;
  /** The record before it in the chain, when there is one. */
  previousId: number | null;
}

export interface ChainReport {
  ok: boolean;
  /** Chained records checked, up to and including the broken one. */
  checked: number;
  /** Records written before hash chaining existed (a prefix of the log); they are not covered. */
  unchainedLegacy: number;
  /** The newest record checked: publish or store its hash elsewhere to anchor the chain. */
  head: { id: number; hash: string } | null;
  firstBroken: BrokenLink | null;
}

interface StoredRecord extends Record<string, unknown> {
  id: string;
  at_ms: string;
  actor_id: string | null;
  actor_role: string | null;
  office_code: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  before: unknown;
  after: unknown;
  request_id: string | null;
  prev_hash: string | null;
  hash: string | null;
}

/**
 * Walks the whole chain in id order, a batch at a time, and stops at the first record that breaks
 * it: a record changed after it was written (its hash no longer matches its contents), a record
 * removed or inserted (its `prevHash` is not the hash of the record before it), or a record with no
 * hash after chaining began. Ids are taken under the chain lock and committed in order, so reading
 * by ascending id while new records arrive sees a consistent prefix.
 */
export async function verifyChain(db: RootDatabase, batchSize = 1000): Promise<ChainReport> {
  let lastId = 0;
  let expectedPrev = GENESIS_HASH;
  let previousId: number | null = null;
  let chained = false;
  let checked = 0;
  let unchainedLegacy = 0;
  let head: ChainReport['head'] = null;
  const broken = (id: number, problem: ChainProblem, message: string): ChainReport => ({
    ok: false,
    checked,
    unchainedLegacy,
    head,
    firstBroken: { id, problem, message, previousId },
  });

  for (;;) {
    const { rows } = await db.execute<StoredRecord>(sql`
      SELECT id::text AS id, (extract(epoch FROM at) * 1000)::text AS at_ms, actor_id, actor_role, office_code,
        action, target_type, target_id, before, after, request_id, prev_hash, hash
      FROM audit_log WHERE audit_log.id > ${lastId} ORDER BY audit_log.id ASC LIMIT ${batchSize}`);
    for (const row of rows) {
      const id = Number(row.id);
      lastId = id;
      if (row.hash === null) {
        if (!chained) {
          unchainedLegacy++;
          continue;
        }
        checked++;
        return broken(id, 'unchained', 'The record has no hash but comes after chained records: it was written around the chain, or its hash was removed');
      }
      chained = true;
      checked++;
      if (row.prev_hash !== expectedPrev) {
        return broken(
          id,
          'broken_link',
          previousId === null
            ? 'The first chained record does not start from the genesis hash: records before it were removed or it was re-linked'
            : `The record's prevHash is not the hash of the record before it (id ${previousId}): a record between them was removed or inserted, or the previous record was changed and re-hashed`,
        );
      }
      const atMs = Number(row.at_ms);
      const recomputed = Number.isInteger(atMs)
        ? recordHash({
            id,
            at: new Date(atMs),
            actorId: row.actor_id,
            actorRole: row.actor_role,
            officeCode: row.office_code,
            action: row.action,
            targetType: row.target_type,
            targetId: row.target_id,
            before: row.before,
            after: row.after,
            requestId: row.request_id,
            prevHash: row.prev_hash,
          })
        : null;
      if (recomputed !== row.hash) {
        return broken(id, 'hash_mismatch', "The record's contents do not match its hash: it was changed after it was written");
      }
      expectedPrev = row.hash;
      previousId = id;
      head = { id, hash: row.hash };
    }
    if (rows.length < batchSize) break;
  }
  return { ok: true, checked, unchainedLegacy, head, firstBroken: null };
}

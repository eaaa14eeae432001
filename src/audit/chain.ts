import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json';

/** The `prevHash` of the first chained record. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Part of what is hashed; bump when the canonical form changes. Format 1: records chained in line,
 * by record id. Format 2: seals (audit_seals), which add the seal's sequence number.
 */
const INLINE_FORMAT = 1;
const SEAL_FORMAT = 2;

/** The fields a record's hash covers: every column except the hash itself. */
export interface ChainedFields {
  id: number;
  at: Date;
  actorId: string | null;
  actorRole: string | null;
  officeCode: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  prevHash: string;
}

/**
 * PostgreSQL text and jsonb cannot hold NUL, and jsonb refuses lone UTF-16 surrogates. Values are
 * cleaned before they are hashed and stored, so what is hashed is exactly what the database keeps
 * and reads back (an unstorable value would otherwise fail the whole transaction it describes).
 */
const unstorable = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function storableText(value: string): string {
  return value.replace(unstorable, '\uFFFD');
}

/** Brings a before/after summary to the JSON value jsonb will hand back: no undefined, Dates as strings, text cleaned. */
export function storableJson(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  const json = JSON.stringify(value);
  if (json === undefined) return null;
  return clean(JSON.parse(json));
}

function clean(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(clean);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      // defineProperty, so a "__proto__" key stays an own property instead of replacing the prototype.
      Object.defineProperty(out, storableText(key), { value: clean(inner), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

/** The canonical serialisation of one record, the input to its hash. */
export function canonicalRecord(fields: ChainedFields): string {
  return canonicalJson({ format: INLINE_FORMAT, at: fields.at.toISOString(), ...recordColumns(fields) });
}

/** The columns both formats cover, besides the record's time. */
function recordColumns(fields: Omit<ChainedFields, 'at'>) {
  return {
    id: fields.id,
    actorId: fields.actorId,
    actorRole: fields.actorRole,
    officeCode: fields.officeCode,
    action: fields.action,
    targetType: fields.targetType,
    targetId: fields.targetId,
    before: fields.before ?? null,
    after: fields.after ?? null,
    requestId: fields.requestId,
    prevHash: fields.prevHash,
  };
}

/** The hash of a record chained in line (format 1). */
export function recordHash(fields: ChainedFields): string {
  return createHash('sha256').update(canonicalRecord(fields), 'utf8').digest('hex');
}

/**
 * What a seal covers: the record as stored, its time as whole microseconds since the epoch (what
 * PostgreSQL keeps, so no record is too precise to seal), and the previous seal's hash.
 */
export interface SealedFields extends Omit<ChainedFields, 'at'> {
  atMicros: string;
}

/** The canonical serialisation of seal number `seq` over a record (format 2). */
export function canonicalSeal(seq: number, fields: SealedFields): string {
  return canonicalJson({ format: SEAL_FORMAT, seq, atMicros: fields.atMicros, ...recordColumns(fields) });
}

export function sealHash(seq: number, fields: SealedFields): string {
  return createHash('sha256').update(canonicalSeal(seq, fields), 'utf8').digest('hex');
}

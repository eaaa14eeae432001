import { z } from 'zod';
import { badRequest } from './errors';
import { storableInput } from './storable-text';

/**
 * Opaque cursors for keyset pagination: the client gets `nextCursor` and sends it back as `cursor`.
 * A cursor encodes the sort key of the last row it saw, so pages stay stable while rows are added.
 */
export interface Cursor {
  at: string;
  id: string;
}

export const paginationQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
};

/**
 * A cursor's timestamp, as the lists write them: ISO 8601 in UTC (`2026-05-01T10:00:00.123Z`, with up to
 * microseconds) or PostgreSQL's text form (`2026-05-01 10:00:00.123456+07`). It must name a real moment
 * (no 31 February, no hour 24): it reaches SQL as `::timestamptz`, where anything else is an error.
 */
const timestampShape = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?(?:Z|[+-](\d{2})(?::?(\d{2}))?)$/;
export function isCursorTimestamp(value: string): boolean {
  const match = timestampShape.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number, number, number];
  if (year < 1 || hour > 23 || minute > 59 || second > 59 || offsetHours > 15 || offsetMinutes > 59) return false;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Fields of a cursor schema: a timestamp as above, and a row id. */
export const cursorFields = {
  at: z.string().max(40).refine(isCursorTimestamp, 'not a timestamp'),
  id: z.uuid(),
};

/**
 * The one cursor codec: a cursor is its keyset as JSON in base64url, checked against the list's own
 * (strict) schema when it comes back, its text storable like any input at the edge; anything else is a
 * 400 naming the cursor. Lists build their cursor schemas from cursorFields, so what reaches SQL is a
 * real timestamp, a real UUID, a safe integer.
 */
export function cursorCodec<T>(schema: z.ZodType<T>) {
  return {
    encode: (cursor: T): string => Buffer.from(JSON.stringify(cursor)).toString('base64url'),
    decode(raw: string | undefined): T | undefined {
      if (!raw) return undefined;
      let json: unknown = null;
      try {
        json = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
      } catch {
        // reported below, like any other cursor that fails the schema
      }
      const parsed = storableInput.safeParse(json).success ? schema.safeParse(json) : null;
      if (!parsed?.success) throw badRequest('cursor is not a cursor this API issued', [{ path: 'cursor', message: 'invalid cursor', code: 'invalid_cursor' }]);
      return parsed.data;
    },
  };
}

/** The cursor of lists ordered by (time, uuid), which is most of them. */
const timeAndId = cursorCodec<Cursor>(z.strictObject(cursorFields));
export const encodeCursor = timeAndId.encode;
export const decodeCursor = timeAndId.decode;

/** Given limit+1 rows, returns the page and the cursor for the next one (null at the end). */
export function pageOf<T>(rows: T[], limit: number, cursorOf: (row: T) => Cursor) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(cursorOf(last)) : null };
}

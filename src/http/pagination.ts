import { z } from 'zod';
import { badRequest } from './errors';

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
 * The one cursor codec: a cursor is its keyset as JSON in base64url, checked against the list's own
 * schema when it comes back; anything else is a 400 naming the cursor.
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
      const parsed = schema.safeParse(json);
      if (!parsed.success) throw badRequest('cursor is not a cursor this API issued', [{ path: 'cursor', message: 'invalid cursor' }]);
      return parsed.data;
    },
  };
}

/** The cursor of lists ordered by (time, uuid), which is most of them. */
const timeAndId = cursorCodec<Cursor>(z.object({ at: z.string().min(1), id: z.string().uuid() }));
export const encodeCursor = timeAndId.encode;
export const decodeCursor = timeAndId.decode;

/** Given limit+1 rows, returns the page and the cursor for the next one (null at the end). */
export function pageOf<T>(rows: T[], limit: number, cursorOf: (row: T) => Cursor) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(cursorOf(last)) : null };
}

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

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

const cursorSchema = z.object({ at: z.string().min(1), id: z.string().uuid() });

export function decodeCursor(raw: string | undefined): Cursor | undefined {
  if (!raw) return undefined;
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
  } catch {
    throw badRequest('cursor is not a cursor this API issued', [{ path: 'cursor', message: 'invalid cursor' }]);
  }
}

/** Given limit+1 rows, returns the page and the cursor for the next one (null at the end). */
export function pageOf<T>(rows: T[], limit: number, cursorOf: (row: T) => Cursor) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(cursorOf(last)) : null };
}

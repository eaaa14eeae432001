import { Router, type Request } from 'express';
import { z } from 'zod';
import type { AppDependencies } from '../deps';
import { principalOf, requireRole } from '../auth/middleware';
import { HttpError, notFound } from '../http/errors';
import { decodeCursor, paginationQuery } from '../http/pagination';
import { parseBody, parseParams, parseQuery } from '../http/validate';
import { watchlistKinds } from '../screening/subject';
import { entryInputSchema, entryPatchSchema, entryView } from './entries';
import { ImportAbandoned, importWatchlistCsv, MAX_IMPORT_BYTES } from './import';
import { findEntry, listEntries, summarise } from './queries';
import { WatchlistService } from './service';

/** Watchlist content comes from partner countries and police referrals: supervisors and admins read it, admins change it. */
export const watchlistReaders = ['supervisor', 'admin'] as const;
/** Officers see single entries, the ones their decisions cite as evidence. */
export const entryReaders = ['officer', 'passport_officer', 'supervisor', 'admin'] as const;

export const idParams = z.object({ id: z.uuid() });

export const entryListQuery = z.strictObject({
  list: z.enum(watchlistKinds).optional(),
  status: z.enum(['active', 'scheduled', 'expired', 'revoked', 'all']).default('active'),
  q: z.string().trim().min(2).max(200).optional(),
  ...paginationQuery,
});

export const revokeBodySchema = z.strictObject({ reason: z.string().trim().min(3, 'say why the entry is revoked').max(1000) });

export const importQuery = z.strictObject({ dryRun: z.enum(['true', 'false']).default('false').transform((v) => v === 'true') });

/** `/watchlists`: entries of the phone, agency, employer, address and person watchlists. */
export function watchlistRoutes(deps: AppDependencies): Router {
  const { db } = deps;
  const router = Router();
  const service = new WatchlistService(db);
  const who = (req: Request) => ({ actor: principalOf(req), requestId: String(req.id) });

  router.get('/', requireRole(...watchlistReaders), async (_req, res) => {
    const counts = await summarise(db, new Date());
    const byList = new Map(counts.map((c) => [c.list, c]));
    res.json({ lists: watchlistKinds.map((list) => ({ list, active: 0, scheduled: 0, expired: 0, revoked: 0, ...byList.get(list) })) });
  });

  router.get('/entries', requireRole(...watchlistReaders), async (req, res) => {
    const query = parseQuery(entryListQuery, req);
    const now = new Date();
    const page = await listEntries(db, { ...query, cursor: decodeCursor(query.cursor) }, now);
    res.json({ items: page.items.map((row) => entryView(row, now)), nextCursor: page.nextCursor });
  });

  router.post('/entries', requireRole('admin'), async (req, res) => {
    const input = parseBody(entryInputSchema, req);
    const row = await service.create(input, who(req));
    res.status(201).json(entryView(row, new Date()));
  });

  router.get('/entries/:id', requireRole(...entryReaders), async (req, res) => {
    const { id } = parseParams(idParams, req);
    const row = await findEntry(db, id);
    if (!row) throw notFound('Watchlist entry');
    res.json(entryView(row, new Date()));
  });

  router.patch('/entries/:id', requireRole('admin'), async (req, res) => {
    const { id } = parseParams(idParams, req);
    const patch = parseBody(entryPatchSchema, req);
    const row = await service.update(id, patch, who(req));
    res.json(entryView(row, new Date()));
  });

  router.post('/entries/:id/revoke', requireRole('admin'), async (req, res) => {
    const { id } = parseParams(idParams, req);
    const { reason } = parseBody(revokeBodySchema, req);
    const row = await service.revoke(id, reason, who(req));
    res.json(entryView(row, new Date()));
  });

  // The CSV is the body itself (Content-Type: text/csv), read as it arrives; requireJsonBody in app.ts lets this path through.
  router.post('/import', requireRole('admin'), async (req, res) => {
    const { dryRun } = parseQuery(importQuery, req);
    if (!req.is(['text/csv', 'application/csv'])) throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the list as text/csv');
    const encoding = (req.get('content-encoding') ?? 'identity').trim().toLowerCase();
    if (encoding !== 'identity') throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the list uncompressed (no Content-Encoding)');
    const charset = /;\s*charset="?([^";\s]+)"?/i.exec(req.get('content-type') ?? '')?.[1] ?? 'utf-8';
    try {
      new TextDecoder(charset);
    } catch {
      throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `Unsupported charset "${charset}"; send UTF-8`);
    }
    if (Number(req.get('content-length') ?? 0) > MAX_IMPORT_BYTES) throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `The file is larger than ${MAX_IMPORT_BYTES} bytes`);
    // A client that disconnects before the answer is written gets nothing stored (checked before commit).
    const gone = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    try {
      // 200 with a report per row: valid rows are added, invalid and duplicate ones are listed and skipped.
      res.json(await importWatchlistCsv(db, req, who(req), dryRun, { charset, signal: gone.signal }));
    } catch (error) {
      if (!(error instanceof ImportAbandoned)) throw error;
      req.log.warn({ stage: error.stage }, 'watchlist import abandoned by the client: nothing stored');
    }
  });

  return router;
}

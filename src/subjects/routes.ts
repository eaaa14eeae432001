import express, { Router, type Request } from 'express';
import { z } from 'zod';
import type { AppDependencies } from '../deps';
import { principalOf, requireRole } from '../auth/middleware';
import { badRequest, HttpError, notFound } from '../http/errors';
import { decodeCursor, paginationQuery } from '../http/pagination';
import { parseBody, parseParams, parseQuery } from '../http/validate';
import { visibleOffice } from '../offices/scope';
import { createBodySchema, entryPatchSchema, entryView } from './entries';
import { importSubjectsCsv } from './import';
import { findEntry, listEntries } from './queries';
import { SubjectService, type Who } from './service';

/** Supervisors and admins keep the list: their office's entries, or every office's at headquarters. */
export const subjectKeepers = ['supervisor', 'admin'] as const;
/** Anyone signed in opens one entry (the ones their decisions cite as evidence). */
export const subjectEntryReaders = ['officer', 'passport_officer', 'supervisor', 'admin'] as const;

export const idParams = z.object({ id: z.uuid() });
export const entryListQuery = z.strictObject({
  status: z.enum(['active', 'scheduled', 'expired', 'revoked', 'all']).default('active'),
  q: z.string().trim().min(2).max(200).optional(),
  ...paginationQuery,
});
export const revokeBodySchema = z.strictObject({ reason: z.string().trim().min(3, 'say why the entry is revoked').max(1000) });
export const importQuery = z.strictObject({ dryRun: z.enum(['true', 'false']).default('false').transform((v) => v === 'true') });

/** `/subjects`: the subject-of-interest list (people barred from re-applying for a period). */
export function subjectRoutes(deps: AppDependencies): Router {
  const { db } = deps;
  const router = Router();
  const service = new SubjectService(db);
  const who = async (req: Request): Promise<Who> => ({ actor: principalOf(req), requestId: String(req.id), scope: await visibleOffice(db, principalOf(req)) });

  router.get('/entries', requireRole(...subjectKeepers), async (req, res) => {
    const query = parseQuery(entryListQuery, req);
    const now = new Date();
    const page = await listEntries(db, { ...query, office: await visibleOffice(db, principalOf(req)), cursor: decodeCursor(query.cursor) }, now);
    res.json({ items: page.items.map((row) => entryView(row, now)), nextCursor: page.nextCursor });
  });

  router.post('/entries', requireRole(...subjectKeepers), async (req, res) => {
    const input = parseBody(createBodySchema, req);
    const row = 'postponementId' in input ? await service.createFromPostponement(input, await who(req)) : await service.create(input, await who(req));
    res.status(201).json(entryView(row, new Date()));
  });

  router.get('/entries/:id', requireRole(...subjectEntryReaders), async (req, res) => {
    const { id } = parseParams(idParams, req);
    const row = await findEntry(db, id);
    if (!row) throw notFound('Subject-of-interest entry');
    res.json(entryView(row, new Date()));
  });

  router.patch('/entries/:id', requireRole(...subjectKeepers), async (req, res) => {
    const { id } = parseParams(idParams, req);
    const patch = parseBody(entryPatchSchema, req);
    res.json(entryView(await service.update(id, patch, await who(req)), new Date()));
  });

  router.post('/entries/:id/revoke', requireRole(...subjectKeepers), async (req, res) => {
    const { id } = parseParams(idParams, req);
    const { reason } = parseBody(revokeBodySchema, req);
    res.json(entryView(await service.revoke(id, reason, await who(req)), new Date()));
  });

  // The CSV is the body itself (Content-Type: text/csv); requireJsonBody in app.ts lets this path through.
  router.post('/import', requireRole(...subjectKeepers), express.text({ type: ['text/csv', 'application/csv'], limit: '5mb' }), async (req, res) => {
    const { dryRun } = parseQuery(importQuery, req);
    if (!req.is(['text/csv', 'application/csv'])) throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the list as text/csv');
    if (typeof req.body !== 'string' || req.body.trim() === '') throw badRequest('The CSV body is empty');
    res.json(await importSubjectsCsv(db, req.body, await who(req), dryRun));
  });

  return router;
}

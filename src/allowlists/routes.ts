import { Router, type Request } from 'express';
import { z } from 'zod';
import type { AppDependencies } from '../deps';
import { principalOf, requireRole } from '../auth/middleware';
import { notFound } from '../http/errors';
import { decodeCursor, paginationQuery } from '../http/pagination';
import { parseBody, parseParams, parseQuery } from '../http/validate';
import { allowlistParties } from '../screening/subject';
import { allowlistEntryInputSchema, allowlistEntryView } from './entries';
import { AllowlistService } from './service';

/**
 * Allowlists are the rules administrators' (the admin role): entries are national, because rule sets
 * are; they may carry a NIK, so only admins read them. Officers see an entry's effect in the
 * explanation of the decisions it touched.
 */
export const allowlistRoles = ['admin'] as const;

export const allowlistIdParams = z.object({ id: z.uuid() });

export const allowlistListQuery = z.strictObject({
  partyType: z.enum(allowlistParties).optional(),
  status: z.enum(['active', 'scheduled', 'expired', 'revoked', 'all']).default('active'),
  ruleId: z.string().trim().min(1).max(100).optional(),
  ...paginationQuery,
});

export const allowlistRevokeBody = z.strictObject({ reason: z.string().trim().min(3, 'say why the entry is revoked').max(1000) });

/** `/allowlists`: verified parties whose entries suppress named rules until they expire. */
export function allowlistRoutes(deps: AppDependencies): Router {
  const router = Router();
  const service = new AllowlistService(deps.db);
  const who = (req: Request) => ({ actor: principalOf(req), requestId: String(req.id) });

  router.get('/entries', requireRole(...allowlistRoles), async (req, res) => {
    const query = parseQuery(allowlistListQuery, req);
    const now = new Date();
    const page = await service.list({ ...query, cursor: decodeCursor(query.cursor) }, now);
    res.json({ items: page.items.map((row) => allowlistEntryView(row, now)), nextCursor: page.nextCursor });
  });

  router.post('/entries', requireRole(...allowlistRoles), async (req, res) => {
    const input = parseBody(allowlistEntryInputSchema, req);
    const row = await service.create(input, who(req));
    res.status(201).json(allowlistEntryView(row, new Date()));
  });

  router.get('/entries/:id', requireRole(...allowlistRoles), async (req, res) => {
    const { id } = parseParams(allowlistIdParams, req);
    const row = await service.find(id);
    if (!row) throw notFound('Allowlist entry');
    res.json(allowlistEntryView(row, new Date()));
  });

  router.post('/entries/:id/revoke', requireRole(...allowlistRoles), async (req, res) => {
    const { id } = parseParams(allowlistIdParams, req);
    const { reason } = parseBody(allowlistRevokeBody, req);
    const row = await service.revoke(id, reason, who(req));
    res.json(allowlistEntryView(row, new Date()));
  });

  return router;
}

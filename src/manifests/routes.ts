import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Router, type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import type { AppDependencies } from '../deps';
import { recordAudit } from '../audit/service';
import { principalOf, requireRole } from '../auth/middleware';
import { adminScopeOf, assertManagesOffice, scopedOffice } from '../auth/scope';
import { hashPassword } from '../auth/passwords';
import { users } from '../auth/schema';
import type { TokenService } from '../auth/tokens';
import { forbidden, HttpError, notFound, unprocessable } from '../http/errors';
import { parseBody, parseParams, parseQuery } from '../http/validate';
import { offices } from '../offices/schema';
import { officeKindOf, visibleOffice } from '../offices/scope';
import { and, eq, sql } from 'drizzle-orm';
import { parseByteSize } from '../batches/routes';
import { mapFerryCsv } from './ferry-csv';
import { ManifestFormatError, type MappedManifest } from './mapping';
import { mapPaxlst } from './paxlst';
import { expectedDepartures, findManifest, findManifestPassenger, manifestStatus } from './queries';
import { receiveManifest } from './receive';

export const idParams = z.object({ id: z.uuid() });
export const checkpointParams = z.object({ code: z.string().min(1).max(40) });
const instant = z.iso.datetime({ offset: true }).or(z.iso.date()).transform((v) => new Date(v));
export const expectedDeparturesQuery = z
  .strictObject({ from: instant.optional(), to: instant.optional() })
  .refine((q) => !q.from || !q.to || q.from < q.to, 'from must be before to');
export const carrierFeedBody = z.strictObject({
  checkpointCode: z.string().trim().min(1).max(40),
  carrierName: z.string().trim().min(2).max(100),
  validDays: z.number().int().min(1).max(730).default(365),
});

/** Roles that may upload a manifest: checkpoint officers, supervisors, and a carrier's feed. */
export const manifestUploaders = ['officer', 'supervisor', 'carrier'] as const;
export const expectedDepartureReaders = ['officer', 'supervisor', 'admin'] as const;

/** The only routes a carrier feed token may call: upload a manifest and read its status. */
const carrierRoutes = [
  { method: 'POST', path: /^\/manifests\/?$/ },
  { method: 'GET', path: /^\/manifests\/[^/]+\/?$/ },
];

/**
 * A carrier feed is a machine account (role `carrier`, posted at one checkpoint) with a long-lived
 * token an admin creates (POST /carrier-feeds) and revokes by deactivating the account. Its token
 * opens the manifest upload and status routes only; every other route refuses it here, before any
 * route-level check.
 */
export const carrierFeedScope: RequestHandler = (req, _res, next) => {
  if (req.principal?.role !== 'carrier') return next();
  if (carrierRoutes.some((route) => route.method === req.method && route.path.test(req.path))) return next();
  next(forbidden('A carrier feed token may only upload manifests and read their status'));
};

const formats: Record<string, (text: string) => MappedManifest> = {
  'application/edifact': mapPaxlst,
  'text/csv': mapFerryCsv,
};

async function readText(body: Readable, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new HttpError(413, 'PAYLOAD_TOO_LARGE', 'Request body is larger than the limit');
    chunks.push(chunk as Buffer);
  }
  const bytes = Buffer.concat(chunks);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // UNOC interchanges are ISO 8859-1.
    return bytes.toString('latin1');
  }
}

export function manifestRoutes(deps: AppDependencies, tokens: TokenService): Router {
  const { db } = deps;
  const router = Router();
  const maxBytes = parseByteSize(deps.config.BATCH_MAX_BYTES);

  router.post('/manifests', requireRole(...manifestUploaders), async (req: Request, res) => {
    const type = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const map = formats[type];
    if (!map) throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send a PAXLST interchange as application/edifact, or a ferry manifest as text/csv');
    const principal = principalOf(req);
    if ((await officeKindOf(db, principal)) !== 'checkpoint') throw unprocessable(`Manifests are received at a checkpoint; your office is ${principal.officeCode}`);
    const text = await readText(req, maxBytes);
    let mapped: MappedManifest;
    try {
      mapped = map(text);
    } catch (error) {
      if (!(error instanceof ManifestFormatError)) throw error;
      const where = type === 'text/csv' ? 'line' : 'segment';
      throw new HttpError(422, 'MALFORMED_MANIFEST', `${where} ${error.segment} (${error.tag}): ${error.problem}; nothing was stored`, [
        { [where]: error.segment, tag: error.tag, problem: error.problem, message: error.problem },
      ]);
    }
    const received = await receiveManifest(deps, mapped, principal, String(req.id));
    res
      .status(received.replay ? 200 : 201)
      .location(`/api/v1/manifests/${received.manifest.id}`)
      .json({ ...manifestStatus(received.manifest), replay: received.replay });
  });

  router.get('/manifests/:id', requireRole(...manifestUploaders, 'admin'), async (req, res) => {
    const { id } = parseParams(idParams, req);
    const found = await findManifest(db, id, await visibleOffice(db, principalOf(req)));
    if (!found) throw notFound('Manifest');
    res.json(found);
  });

  router.get('/checkpoints/:code/expected-departures', requireRole(...expectedDepartureReaders), async (req, res) => {
    const { code } = parseParams(checkpointParams, req);
    const query = parseQuery(expectedDeparturesQuery, req);
    const principal = principalOf(req);
    const own = await visibleOffice(db, principal);
    if (own !== null && own !== code) throw notFound('Checkpoint');
    const [office] = await db.select({ kind: offices.kind }).from(offices).where(eq(offices.code, code)).limit(1);
    if (office?.kind !== 'checkpoint') throw notFound('Checkpoint');
    const from = query.from ?? new Date(Date.now() - 2 * 3_600_000);
    const to = query.to ?? new Date(from.getTime() + 24 * 3_600_000);
    const flights = await expectedDepartures(db, { office: code, from, to, role: principal.role });
    res.json({ checkpointCode: code, from: from.toISOString(), to: to.toISOString(), flights });
  });

  router.get('/manifest-passengers/:id', requireRole(...expectedDepartureReaders), async (req, res) => {
    const { id } = parseParams(idParams, req);
    const principal = principalOf(req);
    const found = await findManifestPassenger(db, id, await visibleOffice(db, principal), principal.role);
    if (!found) throw notFound('Manifest passenger');
    res.json(found);
  });

  router.post('/carrier-feeds', requireRole('admin'), async (req, res) => {
    const body = parseBody(carrierFeedBody, req);
    const principal = principalOf(req);
    // A carrier feed is an account at the checkpoint: only an admin who manages that office creates one.
    assertManagesOffice(principal, body.checkpointCode, `a carrier feed at ${body.checkpointCode}`);
    const [office] = await db.select({ kind: offices.kind }).from(offices).where(eq(offices.code, body.checkpointCode)).limit(1);
    if (office?.kind !== 'checkpoint') throw unprocessable(`${body.checkpointCode} is not a checkpoint`);
    const username = `carrier-${body.carrierName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}-${body.checkpointCode.toLowerCase()}-${randomBytes(3).toString('hex')}`;
    const user = await db.transaction(async (tx) => {
      const [created] = await tx
        .insert(users)
        .values({
          username,
          displayName: `${body.carrierName} (carrier feed)`,
          // Nobody knows this password: the account signs in only with the token issued here.
          passwordHash: await hashPassword(randomBytes(32).toString('base64url')),
          role: 'carrier',
          officeCode: body.checkpointCode,
        })
        .returning();
      await recordAudit(tx, {
        actor: principal,
        action: 'carrier-feed.created',
        targetType: 'user',
        targetId: created!.id,
        after: { username, checkpointCode: body.checkpointCode, validDays: body.validDays },
        requestId: String(req.id),
      });
      return created!;
    });
    const issued = tokens.issue({ id: user.id, role: 'carrier', officeCode: user.officeCode, tokenVersion: user.tokenVersion }, body.validDays * 86_400);
    res.status(201).json({ userId: user.id, username, checkpointCode: user.officeCode, token: issued.token, expiresIn: issued.expiresIn });
  });

  router.delete('/carrier-feeds/:id', requireRole('admin'), async (req, res) => {
    const { id } = parseParams(idParams, req);
    const principal = principalOf(req);
    // Another office's feeds are not there for an office admin (404, as for their other records).
    const inScope = scopedOffice(adminScopeOf(principal));
    const revoked = await db.transaction(async (tx) => {
      const [user] = await tx
        .update(users)
        .set({ active: false, tokenVersion: sql`${users.tokenVersion} + 1`, updatedAt: new Date() })
        .where(and(eq(users.id, id), eq(users.role, 'carrier'), eq(users.active, true), inScope ? eq(users.officeCode, inScope) : undefined))
        .returning({ id: users.id, officeCode: users.officeCode });
      if (!user) return null;
      await recordAudit(tx, { actor: principal, action: 'carrier-feed.revoked', targetType: 'user', targetId: id, after: { checkpointCode: user.officeCode }, requestId: String(req.id) });
      return user;
    });
    if (!revoked) throw notFound('Active carrier feed');
    res.status(204).end();
  });

  return router;
}

import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { and, desc, eq, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDependencies } from '../deps';
import { recordAudit } from '../audit/service';
import { principalOf, requireRole } from '../auth/middleware';
import { adminScopeOf, assertManagesOffice, scopedOffice } from '../auth/scope';
import type { Principal } from '../auth/tokens';
import { conflict, notFound, unprocessable } from '../http/errors';
import { decodeCursor, pageOf, paginationQuery } from '../http/pagination';
import { parseBody, parseParams, parseQuery } from '../http/validate';
import { outboxFor, recordJob } from '../jobs/outbox';
import { offices } from '../offices/schema';
import { addressPolicyOf, assertReceiverUrlAllowed } from './address-policy';
import { DELIVER_JOB, deliverJobOptions, type DeliverJob } from './dispatch';
import { webhookDeliveries, webhookEvents, webhookEventTypes, webhookSubscriptions, type WebhookSubscriptionRow } from './schema';

/** Whether a URL carries a user name or password (false for text that is not a URL: the url check reports that). */
function hasCredentials(value: string): boolean {
  try {
    const url = new URL(value);
    return url.username !== '' || url.password !== '';
  } catch {
    return false;
  }
}

const receiverUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
  .max(2000)
  // zod runs refinements after failed checks too, so this one must cope with any string.
  .refine((value) => !hasCredentials(value), 'must not carry credentials; the signature authenticates Saring');
const events = z.array(z.enum(webhookEventTypes)).min(1).max(webhookEventTypes.length).transform((list) => [...new Set(list)]);
const secret = z.string().min(24, 'must be at least 24 characters').max(200);

export const createSchema = z.strictObject({
  url: receiverUrl,
  officeCode: z
    .string()
    .min(1)
    .max(40)
    .optional()
    .meta({ description: "Whose events it receives: one office's. Omitted: the caller's own office, or every office for a headquarters admin" }),
  description: z.string().trim().min(1).max(500).optional(),
  events: events.default([...webhookEventTypes]),
  secret: secret.optional(),
  active: z.boolean().default(true),
});
export const updateSchema = z
  .strictObject({
    url: receiverUrl.optional(),
    description: z.string().trim().min(1).max(500).nullable().optional(),
    events: events.optional(),
    secret: secret.optional(),
    active: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'name at least one field to change');
export const idParams = z.object({ id: z.uuid() });
export const listQuery = z.strictObject({ ...paginationQuery });

/** A subscription as shown: never its secret, which is returned once, when created or rotated. */
const view = (row: WebhookSubscriptionRow) => ({
  id: row.id,
  url: row.url,
  officeCode: row.officeCode,
  description: row.description,
  events: row.events,
  active: row.active,
  createdBy: row.createdBy,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

/** Webhook subscriptions and the dead-letter list, for admins. */
export function webhookRoutes(deps: AppDependencies): Router {
  const { db } = deps;
  const router = Router();
  router.use('/webhooks', requireRole('admin'));

  const policy = addressPolicyOf(deps.config);

  /** The subscriptions an admin manages: every one for headquarters, their office's for an office admin. */
  const inScope = (principal: Principal) => {
    const office = scopedOffice(adminScopeOf(principal));
    return office === null ? undefined : eq(webhookSubscriptions.officeCode, office);
  };
  /** A live subscription the caller manages; others are not found, as another office's records are. */
  const live = (id: string, principal: Principal) => and(eq(webhookSubscriptions.id, id), isNull(webhookSubscriptions.deletedAt), inScope(principal));

  router.post('/webhooks', async (req, res) => {
    const body = parseBody(createSchema, req);
    const actor = principalOf(req);
    const officeCode = body.officeCode ?? scopedOffice(adminScopeOf(actor));
    if (officeCode !== null) {
      assertManagesOffice(actor, officeCode, `webhooks of ${officeCode}`);
      const [office] = await db.select({ code: offices.code }).from(offices).where(eq(offices.code, officeCode)).limit(1);
      if (!office) throw unprocessable(`Office ${officeCode} does not exist`, [{ path: 'officeCode', message: 'unknown office' }]);
    }
    assertReceiverUrlAllowed(policy, body.url);
    const signingSecret = body.secret ?? newSecret();
    const created = await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(webhookSubscriptions)
        .values({ url: body.url, officeCode, description: body.description ?? null, events: body.events, secret: signingSecret, active: body.active, createdBy: actor.userId })
        .returning();
      await recordAudit(tx, {
        actor,
        action: 'webhook.created',
        targetType: 'webhook',
        targetId: row!.id,
        after: { url: row!.url, officeCode: row!.officeCode, events: row!.events, active: row!.active },
        requestId: String(req.id),
      });
      return row!;
    });
    res.status(201).location(`/api/v1/webhooks/${created.id}`).json({ ...view(created), secret: signingSecret });
  });

  router.get('/webhooks', async (req, res) => {
    const rows = await db
      .select()
      .from(webhookSubscriptions)
      .where(and(isNull(webhookSubscriptions.deletedAt), inScope(principalOf(req))))
      .orderBy(desc(webhookSubscriptions.createdAt));
    res.json({ items: rows.map(view) });
  });

  router.get('/webhooks/dead-letters', async (req, res) => {
    const query = parseQuery(listQuery, req);
    const cursor = decodeCursor(query.cursor);
    const conditions: SQL[] = [eq(webhookDeliveries.state, 'dead')];
    const scoped = inScope(principalOf(req));
    if (scoped) conditions.push(scoped);
    if (cursor) {
      const at = new Date(cursor.at);
      conditions.push(or(lt(webhookDeliveries.deadAt, at), and(eq(webhookDeliveries.deadAt, at), lt(webhookDeliveries.id, cursor.id)))!);
    }
    const rows = await db
      .select({
        id: webhookDeliveries.id,
        subscriptionId: webhookDeliveries.subscriptionId,
        url: webhookSubscriptions.url,
        eventId: webhookEvents.id,
        eventType: webhookEvents.type,
        payload: webhookEvents.payload,
        attempts: webhookDeliveries.attempts,
        lastStatus: webhookDeliveries.lastStatus,
        lastError: webhookDeliveries.lastError,
        createdAt: webhookDeliveries.createdAt,
        deadAt: webhookDeliveries.deadAt,
      })
      .from(webhookDeliveries)
      .innerJoin(webhookSubscriptions, eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId))
      .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
      .where(and(...conditions))
      .orderBy(desc(webhookDeliveries.deadAt), desc(webhookDeliveries.id))
      .limit(query.limit + 1);
    const page = pageOf(rows, query.limit, (row) => ({ at: row.deadAt!.toISOString(), id: row.id }));
    res.json({ items: page.items.map((row) => ({ ...row, eventId: `evt_${row.eventId}` })), nextCursor: page.nextCursor });
  });

  /** Sends a dead letter again, with a fresh set of attempts. */
  router.post('/webhooks/dead-letters/:id/retry', async (req, res) => {
    const { id } = parseParams(idParams, req);
    const actor = principalOf(req);
    const scoped = inScope(actor);
    // Only deliveries of subscriptions the caller manages; another office's are not found.
    const managed = scoped
      ? sql`${webhookDeliveries.subscriptionId} IN (SELECT ${webhookSubscriptions.id} FROM ${webhookSubscriptions} WHERE ${scoped})`
      : undefined;
    await db.transaction(async (tx) => {
      const [row] = await tx
        .update(webhookDeliveries)
        .set({ state: 'pending', attempts: 0, nextAttemptAt: sql`now()`, deadAt: null, leaseUntil: null })
        .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.state, 'dead'), managed))
        .returning();
      if (!row) {
        const [exists] = await tx.select({ state: webhookDeliveries.state }).from(webhookDeliveries).where(and(eq(webhookDeliveries.id, id), managed)).limit(1);
        throw exists ? conflict('Only a dead-lettered delivery can be retried', { state: exists.state }) : notFound('Dead letter');
      }
      await recordJob<DeliverJob>(tx, DELIVER_JOB, { deliveryId: id }, deliverJobOptions(deps));
      await recordAudit(tx, { actor, action: 'webhook.delivery_retried', targetType: 'webhook_delivery', targetId: id, requestId: String(req.id) });
    });
    outboxFor(deps).kick();
    res.status(202).json({ id, state: 'pending' });
  });

  router.get('/webhooks/:id', async (req, res) => {
    const { id } = parseParams(idParams, req);
    const [row] = await db.select().from(webhookSubscriptions).where(live(id, principalOf(req))).limit(1);
    if (!row) throw notFound('Webhook subscription');
    const counts = await db
      .select({ state: webhookDeliveries.state, n: sql<number>`count(*)::int` })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.subscriptionId, id))
      .groupBy(webhookDeliveries.state);
    res.json({ ...view(row), deliveries: Object.fromEntries(counts.map((c) => [c.state, c.n])) });
  });

  router.patch('/webhooks/:id', async (req, res) => {
    const { id } = parseParams(idParams, req);
    const body = parseBody(updateSchema, req);
    const actor = principalOf(req);
    const updated = await db.transaction(async (tx) => {
      const [before] = await tx.select().from(webhookSubscriptions).where(live(id, actor)).limit(1).for('update');
      if (!before) throw notFound('Webhook subscription');
      if (body.url !== undefined) assertReceiverUrlAllowed(policy, body.url);
      const [row] = await tx
        .update(webhookSubscriptions)
        .set({ ...body, updatedAt: new Date() })
        .where(eq(webhookSubscriptions.id, id))
        .returning();
      await recordAudit(tx, {
        actor,
        action: 'webhook.updated',
        targetType: 'webhook',
        targetId: id,
        before: { url: before.url, events: before.events, active: before.active },
        after: { url: row!.url, events: row!.events, active: row!.active, secretRotated: body.secret !== undefined },
        requestId: String(req.id),
      });
      return row!;
    });
    res.json({ ...view(updated), ...(body.secret ? { secret: body.secret } : {}) });
  });

  router.delete('/webhooks/:id', async (req, res) => {
    const { id } = parseParams(idParams, req);
    const actor = principalOf(req);
    await db.transaction(async (tx) => {
      const [row] = await tx.update(webhookSubscriptions).set({ active: false, deletedAt: new Date(), updatedAt: new Date() }).where(live(id, actor)).returning();
      if (!row) throw notFound('Webhook subscription');
      await recordAudit(tx, { actor, action: 'webhook.deleted', targetType: 'webhook', targetId: id, before: { url: row.url, events: row.events }, requestId: String(req.id) });
    });
    res.status(204).end();
  });

  return router;
}

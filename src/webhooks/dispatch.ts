import { and, eq, isNull, sql } from 'drizzle-orm';
import type { AppDependencies } from '../deps';
import type { Transaction } from '../db/client';
import { outboxFor, recordJobs } from '../jobs/outbox';
import { postponements } from '../postponements/schema';
import { cases } from '../review/schema';
import { webhookDeliveries, webhookEvents, webhookSubscriptions, type WebhookEventType } from './schema';

export const DELIVER_JOB = 'webhooks.deliver';
export interface DeliverJob {
  deliveryId: string;
}

/** Audit actions that are webhook events. A postponement needing four-eyes approval is decided when approved. */
const eventTypeOf: Record<string, WebhookEventType> = {
  'case.opened': 'case.created',
  'case.decided': 'case.decided',
  'case.approval_granted': 'case.decided',
  'postponement.recorded': 'postponement.recorded',
  'cluster.alerted': 'cluster.alerted',
};

/**
 * How long past due a pending delivery must be before it counts as having lost its job (Redis lost
 * it, or its worker died) and is handed out again: a request's timeout plus a few dispatch rounds.
 */
const overdueSecondsOf = (deps: AppDependencies) => Math.max(5, (deps.config.WEBHOOK_TIMEOUT_MS + 5 * deps.config.WEBHOOK_DISPATCH_EVERY_MS) / 1000);

export const deliverJobOptions = (deps: AppDependencies, attemptsMade = 0) => ({
  attempts: Math.max(1, deps.config.WEBHOOK_MAX_ATTEMPTS - attemptsMade),
  backoffMs: deps.config.WEBHOOK_BACKOFF_MS,
});

interface CapturedEvent extends Record<string, unknown> {
  id: number;
  action: string;
  created_at: Date;
  at: Date;
  actor_id: string | null;
  target_id: string | null;
  after: Record<string, unknown> | null;
}

/**
 * The body subscribers receive. It names records by id and carries outcomes and reason codes, never
 * personal data (no names, NIK, passport or phone numbers, no free-text notes).
 */
async function payloadOf(tx: Transaction, type: WebhookEventType, event: CapturedEvent) {
  const envelope = (data: Record<string, unknown>) => ({ id: `evt_${event.id}`, type, occurredAt: new Date(event.at).toISOString(), data });
  const after = event.after ?? {};
  if (type === 'postponement.recorded') {
    const [row] = await tx.select().from(postponements).where(eq(postponements.id, event.target_id!)).limit(1);
    return envelope({
      postponementId: event.target_id,
      kind: row?.kind ?? after.kind ?? null,
      applicationId: row?.applicationId ?? after.applicationId ?? null,
      caseId: row?.caseId ?? after.caseId ?? null,
      officeCode: row?.officeCode ?? null,
      destinationCountry: row?.destinationCountry ?? null,
      reasonCode: row?.reasonCode ?? after.reasonCode ?? null,
      deadline: row?.deadline ?? null,
      decidedBy: row?.decidedBy ?? null,
      decidedAt: row?.decidedAt ?? null,
    });
  }
  if (type === 'cluster.alerted') {
    // An earlier member of a link cluster looked at again: ids, office and result, no key values.
    return envelope({
      applicationId: event.target_id,
      triggerApplicationId: after.triggerApplicationId ?? null,
      officeCode: after.officeCode ?? null,
      result: after.result ?? null,
      outcome: after.outcome ?? null,
      decisionId: after.decisionId ?? null,
      caseId: after.caseId ?? null,
      linkedBy: after.linkedBy ?? [],
    });
  }
  const [row] = await tx.select().from(cases).where(eq(cases.id, event.target_id!)).limit(1);
  const identity = { caseId: event.target_id, applicationId: row?.applicationId ?? after.applicationId ?? null, kind: row?.kind ?? null, officeCode: row?.officeCode ?? null };
  if (type === 'case.created') {
    return envelope({ ...identity, outcome: after.outcome ?? row?.outcome ?? null, score: row?.score ?? null, slaDueAt: row?.slaDueAt ?? null, openedAt: row?.createdAt ?? null });
  }
  return envelope({
    ...identity,
    action: after.action ?? null,
    reasonCode: after.reasonCode ?? null,
    postponementDeadline: after.postponementDeadline ?? null,
    decidedBy: after.decidedBy ?? null,
    decidedAt: row?.decidedAt ?? null,
    approvedBy: event.action === 'case.approval_granted' ? event.actor_id : null,
  });
}

/** The office an event belongs to, as its body names it (every event type carries `data.officeCode`). */
const officeOf = (payload: { data: Record<string, unknown> }): string | null => (typeof payload.data.officeCode === 'string' ? payload.data.officeCode : null);

/**
 * Whether a subscription receives an event of `office`: a national one (no office, made by a headquarters
 * admin) receives every event, an office's only its own office's; an event whose office is unknown goes
 * to national subscriptions only.
 */
export const receivesOffice = (subscriptionOffice: string | null, office: string | null) => subscriptionOffice === null || subscriptionOffice === office;

/**
 * Fans captured events out to subscribers: fixes each event's body, creates one delivery per
 * subscriber that wants its type, may see its office (and existed when it happened), and records a delivery job for each
 * in the job outbox, all in one transaction. Events are claimed with SKIP LOCKED, so dispatchers in
 * several processes never fan one event out twice (and the unique (event, subscriber) key guards it).
 */
export async function fanOutEvents(deps: AppDependencies, limit = 200): Promise<{ events: number; deliveries: number }> {
  const result = await deps.db.transaction(async (tx) => {
    const captured = await tx.execute<CapturedEvent>(sql`
      SELECT e.id, e.action, e.created_at, a.at, a.actor_id, a.target_id, a.after
      FROM webhook_events e JOIN audit_log a ON a.id = e.audit_id
      WHERE e.dispatched_at IS NULL
      ORDER BY e.id
      LIMIT ${limit}
      FOR UPDATE OF e SKIP LOCKED`);
    if (captured.rows.length === 0) return { events: 0, deliveries: 0 };
    const subscriptions = await tx
      .select({ id: webhookSubscriptions.id, events: webhookSubscriptions.events, officeCode: webhookSubscriptions.officeCode, createdAt: webhookSubscriptions.createdAt })
      .from(webhookSubscriptions)
      .where(and(eq(webhookSubscriptions.active, true), isNull(webhookSubscriptions.deletedAt)));
    const wanted: Array<{ eventId: number; subscriptionId: string }> = [];
    for (const event of captured.rows) {
      const type = eventTypeOf[event.action];
      const payload = type ? await payloadOf(tx, type, event) : null;
      await tx
        .update(webhookEvents)
        .set({ type: type ?? null, payload, dispatchedAt: new Date() })
        .where(eq(webhookEvents.id, Number(event.id)));
      if (!type || !payload) continue;
      const office = officeOf(payload);
      for (const subscription of subscriptions) {
        if (subscription.events.includes(type) && receivesOffice(subscription.officeCode, office) && subscription.createdAt <= new Date(event.created_at)) {
          wanted.push({ eventId: Number(event.id), subscriptionId: subscription.id });
        }
      }
    }
    const created = wanted.length
      ? await tx.insert(webhookDeliveries).values(wanted).onConflictDoNothing().returning({ id: webhookDeliveries.id })
      : [];
    await recordJobs(
      tx,
      created.map(({ id }) => ({ name: DELIVER_JOB, data: { deliveryId: id } satisfies DeliverJob, options: { jobId: `webhook-delivery-${id}`, ...deliverJobOptions(deps) } })),
    );
    return { events: captured.rows.length, deliveries: created.length };
  });
  if (result.deliveries > 0) outboxFor(deps).kick();
  return result;
}

/** Hands out again pending deliveries long past due that nobody is sending: their job was lost. */
export async function redispatchOverdueDeliveries(deps: AppDependencies, limit = 100): Promise<number> {
  const count = await deps.db.transaction(async (tx) => {
    const overdue = await tx.execute<{ id: string; attempts: number }>(sql`
      UPDATE webhook_deliveries SET next_attempt_at = now()
      WHERE id IN (
        SELECT id FROM webhook_deliveries
        WHERE state = 'pending'
          AND next_attempt_at < now() - make_interval(secs => ${overdueSecondsOf(deps)})
          AND (lease_until IS NULL OR lease_until < now())
        ORDER BY next_attempt_at
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
      RETURNING id, attempts`);
    await recordJobs(
      tx,
      overdue.rows.map(({ id, attempts }) => ({ name: DELIVER_JOB, data: { deliveryId: id } satisfies DeliverJob, options: deliverJobOptions(deps, attempts) })),
    );
    return overdue.rows.length;
  });
  if (count > 0) {
    deps.logger.warn({ deliveries: count }, 'webhook deliveries overdue: handed out again');
    outboxFor(deps).kick();
  }
  return count;
}

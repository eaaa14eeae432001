import { eq, sql } from 'drizzle-orm';
import type { AppDependencies } from '../deps';
import { SIGNATURE_HEADER, signatureHeader } from './signature';
import { webhookAttempts, webhookDeliveries, webhookEvents, webhookSubscriptions } from './schema';
import type { DeliverJob } from './dispatch';
import { connectorFor } from './connect';

/** Thrown to have the job runner retry a delivery after its backoff. */
export class DeliveryFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeliveryFailed';
  }
}

/**
 * Sends one delivery. The delivery is leased first, so two workers holding its job (a retry and a
 * re-dispatch) never send at once. Every attempt is recorded; a failure before the last attempt
 * throws so the job runner retries with exponential backoff (WEBHOOK_BACKOFF_MS doubling), and the
 * last failure moves the delivery to the dead letters instead.
 */
export async function deliverWebhook(deps: AppDependencies, job: DeliverJob): Promise<void> {
  const { db, config } = deps;
  const leaseMs = config.WEBHOOK_TIMEOUT_MS + 30_000;
  const [delivery] = await db
    .update(webhookDeliveries)
    .set({ leaseUntil: sql`now() + make_interval(secs => ${leaseMs / 1000})` })
    .where(
      sql`${webhookDeliveries.id} = ${job.deliveryId} AND ${webhookDeliveries.state} = 'pending'
        AND (${webhookDeliveries.leaseUntil} IS NULL OR ${webhookDeliveries.leaseUntil} < now())`,
    )
    .returning();
  if (!delivery) return;

  const [target] = await db
    .select({ subscription: webhookSubscriptions, event: webhookEvents })
    .from(webhookDeliveries)
    .innerJoin(webhookSubscriptions, eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId))
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .where(eq(webhookDeliveries.id, delivery.id))
    .limit(1);
  if (!target) throw new Error(`webhook delivery ${delivery.id} has no subscription or event`);
  const { subscription, event } = target;
  if (!subscription.active || subscription.deletedAt) {
    await db
      .update(webhookDeliveries)
      .set({ state: 'cancelled', leaseUntil: null, lastError: 'the subscription was deactivated or deleted' })
      .where(eq(webhookDeliveries.id, delivery.id));
    return;
  }

  const body = JSON.stringify(event.payload);
  const timestamp = Math.floor(Date.now() / 1000);
  const started = performance.now();
  // Connects only to addresses the webhook address policy allows, checked when the name is resolved.
  const outcome = await connectorFor(deps).post(
    subscription.url,
    body,
    {
      'Content-Type': 'application/json',
      'User-Agent': 'Saring-Webhooks/1',
      [SIGNATURE_HEADER]: signatureHeader(subscription.secret, timestamp, body),
      'Saring-Event': event.type ?? '',
      'Saring-Event-Id': `evt_${event.id}`,
      'Saring-Delivery': delivery.id,
    },
    config.WEBHOOK_TIMEOUT_MS,
  );
  const durationMs = Math.round(performance.now() - started);
  const attempt = delivery.attempts + 1;
  const dead = !outcome.ok && attempt >= config.WEBHOOK_MAX_ATTEMPTS;
  await db.transaction(async (tx) => {
    await tx.insert(webhookAttempts).values({
      deliveryId: delivery.id,
      attempt,
      statusCode: outcome.status,
      error: outcome.ok ? null : outcome.error,
      durationMs,
    });
    await tx
      .update(webhookDeliveries)
      .set({
        attempts: attempt,
        state: outcome.ok ? 'delivered' : dead ? 'dead' : 'pending',
        lastStatus: outcome.status,
        lastError: outcome.ok ? null : outcome.error,
        leaseUntil: null,
        // The job runner's exponential backoff: base × 2^(attempt − 1).
        nextAttemptAt: new Date(Date.now() + config.WEBHOOK_BACKOFF_MS * 2 ** (attempt - 1)),
        ...(outcome.ok ? { deliveredAt: new Date() } : {}),
        ...(dead ? { deadAt: new Date() } : {}),
      })
      .where(eq(webhookDeliveries.id, delivery.id));
  });
  // The admin sees `error` (one text for every network failure); the operator's log also has the cause.
  if (!outcome.ok) deps.logger.debug({ deliveryId: delivery.id, subscriptionId: subscription.id, attempt, error: outcome.error, cause: outcome.cause }, 'webhook delivery attempt failed');
  if (dead) {
    deps.logger.warn({ deliveryId: delivery.id, subscriptionId: subscription.id, attempts: attempt, error: !outcome.ok ? outcome.error : undefined, cause: !outcome.ok ? outcome.cause : undefined }, 'webhook delivery dead-lettered');
    return;
  }
  if (!outcome.ok) throw new DeliveryFailed(`webhook delivery ${delivery.id} attempt ${attempt} failed: ${outcome.error}`);
}

import { sql } from 'drizzle-orm';
import { offices } from '../offices/schema';
import { bigint, bigserial, boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const webhookEventTypes = ['case.created', 'case.decided', 'postponement.recorded', 'cluster.alerted'] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

/**
 * A receiver of signed events, managed by admins. The secret signs every body sent to it. A subscription
 * belongs to an office and receives only that office's events, or (office null, made by a headquarters
 * admin) every office's.
 */
export const webhookSubscriptions = pgTable('webhook_subscriptions', {
  id: uuid('id').primaryKey().defaultRandom(),
  url: text('url').notNull(),
  officeCode: text('office_code').references(() => offices.code),
  description: text('description'),
  secret: text('secret').notNull(),
  events: text('events').array().notNull(),
  active: boolean('active').notNull().default(true),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  deletedAt: timestamp('deleted_at', { withTimezone: true }),
});

/**
 * Events waiting to be fanned out to subscribers. Rows are written by a trigger on audit_log in the
 * transaction of the change itself (a transactional outbox), so an event exists exactly when its
 * change committed, whatever Redis is doing.
 */
export const webhookEvents = pgTable(
  'webhook_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    auditId: bigint('audit_id', { mode: 'number' }).notNull(),
    action: text('action').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** The event as sent (type, time, data); fixed at fan-out so every attempt sends the same body. */
    type: text('type'),
    payload: jsonb('payload'),
    dispatchedAt: timestamp('dispatched_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('webhook_events_audit_unique').on(t.auditId),
    index('webhook_events_pending_idx').on(t.id).where(sql`${t.dispatchedAt} is null`),
  ],
);

export const webhookDeliveryState = pgEnum('webhook_delivery_state', ['pending', 'delivered', 'dead', 'cancelled']);

/** One event for one subscriber: retried with exponential backoff until delivered or dead-lettered. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: bigint('event_id', { mode: 'number' })
      .notNull()
      .references(() => webhookEvents.id),
    subscriptionId: uuid('subscription_id')
      .notNull()
      .references(() => webhookSubscriptions.id),
    state: webhookDeliveryState('state').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /** When the next attempt is due; a pending delivery long past it lost its job and is handed out again. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    /** A sender holds the delivery until then, so two workers never send it at the same time. */
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    deadAt: timestamp('dead_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_event_subscription_unique').on(t.eventId, t.subscriptionId),
    index('webhook_deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.state} = 'pending'`),
    index('webhook_deliveries_dead_idx').on(t.deadAt.desc(), t.id.desc()).where(sql`${t.state} = 'dead'`),
  ],
);

/** Every attempt to send a delivery, with the receiver's answer or the network error. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id),
    attempt: integer('attempt').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    statusCode: integer('status_code'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
  },
  (t) => [index('webhook_attempts_delivery_idx').on(t.deliveryId, t.attempt)],
);

export type WebhookSubscriptionRow = typeof webhookSubscriptions.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;

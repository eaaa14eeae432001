import { z } from 'zod';
import type { ApiRoute } from '../openapi/registry';
import { createSchema, idParams, listQuery, updateSchema } from './routes';
import { webhookEventTypes } from './schema';

const tag = 'Webhooks';
const admins = ['admin'] as const;

const subscription = z
  .object({
    id: z.uuid(),
    url: z.string(),
    officeCode: z.string().nullable().meta({ description: "The office whose events it receives; null: every office's (a headquarters admin's subscription)" }),
    description: z.string().nullable(),
    events: z.array(z.enum(webhookEventTypes)),
    active: z.boolean(),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'WebhookSubscription' });

const withSecret = subscription.extend({
  secret: z.string().meta({ description: 'Signs every delivery: Saring-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">. Shown only here' }),
});

const deadLetter = z
  .object({
    id: z.uuid(),
    subscriptionId: z.uuid(),
    url: z.string(),
    eventId: z.string(),
    eventType: z.enum(webhookEventTypes),
    payload: z.object({ id: z.string(), type: z.enum(webhookEventTypes), occurredAt: z.string(), data: z.record(z.string(), z.unknown()) }),
    attempts: z.number().int(),
    lastStatus: z.number().int().nullable(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    deadAt: z.string(),
  })
  .meta({ id: 'WebhookDeadLetter' });

export const webhookApi: ApiRoute[] = [
  {
    method: 'post',
    path: '/api/v1/webhooks',
    operationId: 'createWebhook',
    tag,
    summary:
      "Subscribe a receiver (http or https, on a public address unless the operator allows it) to case.created, case.decided, postponement.recorded and cluster.alerted of one office (an office admin's own) or, for a headquarters admin, of every office; the secret is generated unless given",
    roles: admins,
    body: createSchema,
    errors: [422],
    example: { url: 'https://cases.bp2mi.example/saring-hooks', events: ['case.created', 'case.decided'], description: 'BP2MI case system' },
    success: { status: 201, description: 'Subscribed and audited; the answer carries the signing secret', schema: withSecret },
  },
  {
    method: 'get',
    path: '/api/v1/webhooks',
    operationId: 'listWebhooks',
    tag,
    summary: "Subscriptions the caller manages (an office admin: their office's), never their secrets",
    roles: admins,
    success: { status: 200, description: 'Every subscription', schema: z.object({ items: z.array(subscription) }) },
  },
  {
    method: 'get',
    path: '/api/v1/webhooks/dead-letters',
    operationId: 'listWebhookDeadLetters',
    tag,
    summary: 'Deliveries that used up their attempts, newest first, with the event body, attempts, last status and error',
    roles: admins,
    query: listQuery,
    success: { status: 200, description: 'One page', schema: z.object({ items: z.array(deadLetter), nextCursor: z.string().nullable() }) },
  },
  {
    method: 'post',
    path: '/api/v1/webhooks/dead-letters/:id/retry',
    operationId: 'retryWebhookDeadLetter',
    tag,
    summary: 'Send a dead letter again, with a fresh set of attempts',
    roles: admins,
    params: idParams,
    success: { status: 202, description: 'Queued', schema: z.object({ id: z.uuid(), state: z.literal('pending') }) },
    errors: [404, 409],
  },
  {
    method: 'get',
    path: '/api/v1/webhooks/:id',
    operationId: 'getWebhook',
    tag,
    summary: 'One subscription with its deliveries counted by state',
    roles: admins,
    params: idParams,
    success: { status: 200, description: 'The subscription', schema: subscription.extend({ deliveries: z.record(z.string(), z.number().int()) }) },
    errors: [404],
  },
  {
    method: 'patch',
    path: '/api/v1/webhooks/:id',
    operationId: 'updateWebhook',
    tag,
    summary: 'Change the URL (checked as when subscribing), events, description or active flag, or rotate the secret',
    roles: admins,
    params: idParams,
    body: updateSchema,
    example: { active: false },
    success: { status: 200, description: 'Changed and audited (a rotated secret is returned once)', schema: subscription },
    errors: [404, 422],
  },
  {
    method: 'delete',
    path: '/api/v1/webhooks/:id',
    operationId: 'deleteWebhook',
    tag,
    summary: 'Delete a subscription; its pending deliveries are cancelled',
    roles: admins,
    params: idParams,
    success: { status: 204, description: 'Deleted and audited' },
    errors: [404],
  },
];

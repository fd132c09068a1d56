/**
 * The public routes of outbound webhooks (served by the notification service): subscriptions,
 * secret rotation, the delivery log and replay; and the payloads sent, for the OpenAPI
 * document's `webhooks` section.
 */
import { z } from 'zod';
import { access as rules, defineRoutes } from './route';
import { page, pageFields } from './page';
import { webhookEventType, webhookPayloads, type WebhookEventType } from '../events/webhooks';

const instant = z.iso.datetime({ offset: true });
const uuid = z.uuid({ message: 'must be a UUID' });

const url = z
  .string()
  .trim()
  .max(2000)
  .pipe(z.url({ protocol: /^https?$/, message: 'must be an absolute http(s) URL' }));
const events = z
  .array(webhookEventType)
  .min(1, 'must name at least one event type')
  .max(20)
  .refine((list) => new Set(list).size === list.length, 'must not repeat an event type');

const createBody = z.strictObject({
  url,
  events,
  description: z.string().trim().max(500).optional(),
  /** Include guest name, email, phone and customer id in booking payloads (default false). */
  includePersonalData: z.boolean().default(false),
});
const updateBody = z
  .strictObject({
    url: url.optional(),
    events: events.optional(),
    description: z.string().trim().max(500).nullable().optional(),
    includePersonalData: z.boolean().optional(),
    /** `true` re-enables a disabled subscription (its failure count starts again). */
    active: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'must change at least one field');
const rotateBody = z.strictObject({
  /** How long the previous secret keeps signing too (default 24 h, at most 7 days, 0 = none). */
  overlapSeconds: z
    .number()
    .int()
    .min(0)
    .max(7 * 86400)
    .default(86400),
});

const subscription = z.object({
  id: uuid,
  url: z.string(),
  events: z.array(webhookEventType),
  description: z.string().nullable(),
  includePersonalData: z.boolean(),
  active: z.boolean(),
  /** Set when Midas switched the subscription off after failing deliveries. */
  disabledAt: instant.nullable(),
  disabledReason: z.string().nullable(),
  consecutiveFailures: z.number().int(),
  /** While set and in the future, deliveries carry a second signature made with the previous secret. */
  previousSecretExpiresAt: instant.nullable(),
  createdAt: instant,
  updatedAt: instant,
});
/** The secret (`whsec_` + base64) is shown here only, once. */
const subscriptionWithSecret = subscription.extend({ secret: z.string().startsWith('whsec_') });

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
const delivery = z.object({
  /** Sent as `webhook-id`; the same on every retry and replay. */
  id: uuid,
  subscriptionId: uuid,
  /** The Midas event it came from. */
  eventId: uuid,
  eventType: webhookEventType,
  bookingId: uuid,
  sequence: z.number().int(),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES),
  attempts: z.number().int(),
  /** The last attempt's HTTP status, latency and error. */
  responseStatus: z.number().int().nullable(),
  latencyMs: z.number().int().nullable(),
  error: z.string().nullable(),
  createdAt: instant,
  updatedAt: instant,
  deliveredAt: instant.nullable(),
});

const idParams = z.object({ id: uuid });
const deliveryParams = z.object({ id: uuid, deliveryId: uuid });
const pageQuery = z.object({
  ...pageFields,
});
const deliveriesQuery = pageQuery.extend({ status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional() });

export const webhookSchemas = {
  createBody,
  updateBody,
  rotateBody,
  subscription,
  subscriptionWithSecret,
  delivery,
  idParams,
  deliveryParams,
  pageQuery,
  deliveriesQuery,
};

const tag = 'webhooks';
const access = rules.roles(['admin']);
export const webhookApi = defineRoutes({
  createWebhook: {
    method: 'post',
    path: '/v1/webhooks',
    summary: 'Subscribe an https endpoint to event types; the signing secret is returned once',
    tag,
    access,
    body: createBody,
    responses: { 201: { description: 'The subscription and its secret', schema: subscriptionWithSecret } },
  },
  listWebhooks: {
    method: 'get',
    path: '/v1/webhooks',
    summary: 'Webhook subscriptions, oldest first',
    tag,
    access,
    query: pageQuery,
    responses: {
      200: {
        description: 'A page of subscriptions',
        schema: page(subscription),
      },
    },
  },
  getWebhook: {
    method: 'get',
    path: '/v1/webhooks/:id',
    summary: 'One subscription',
    tag,
    access,
    params: idParams,
    responses: { 200: { description: 'The subscription', schema: subscription } },
  },
  updateWebhook: {
    method: 'patch',
    path: '/v1/webhooks/:id',
    summary: 'Change the URL, event types or description, or switch the subscription on or off',
    tag,
    access,
    params: idParams,
    body: updateBody,
    responses: { 200: { description: 'The changed subscription', schema: subscription } },
  },
  deleteWebhook: {
    method: 'delete',
    path: '/v1/webhooks/:id',
    summary: 'Delete a subscription and its delivery log',
    tag,
    access,
    params: idParams,
    responses: { 204: { description: 'Deleted' } },
  },
  rotateWebhookSecret: {
    method: 'post',
    path: '/v1/webhooks/:id/rotate-secret',
    summary: 'New signing secret; the previous one keeps signing too during the overlap',
    tag,
    access,
    params: idParams,
    body: rotateBody,
    responses: {
      200: { description: 'The subscription and its new secret', schema: subscriptionWithSecret },
    },
  },
  listWebhookDeliveries: {
    method: 'get',
    path: '/v1/webhooks/:id/deliveries',
    summary: "The subscription's delivery log, newest first: status, attempts, response code, latency",
    tag,
    access,
    params: idParams,
    query: deliveriesQuery,
    responses: {
      200: {
        description: 'A page of deliveries',
        schema: page(delivery),
      },
    },
  },
  replayWebhookDelivery: {
    method: 'post',
    path: '/v1/webhooks/:id/deliveries/:deliveryId/replay',
    summary: 'Send a delivery again, with the same webhook-id and body',
    tag,
    access,
    params: deliveryParams,
    responses: { 202: { description: 'Queued for sending', schema: delivery } },
  },
});

/** What the OpenAPI document lists under `webhooks`: one entry per event type. */
export interface ApiWebhook {
  name: WebhookEventType;
  summary: string;
  schema: z.ZodType;
}
export const apiWebhooks: ApiWebhook[] = Object.entries(webhookPayloads).map(([name, schema]) => ({
  name: name as WebhookEventType,
  summary: schema.description ?? name,
  schema,
}));

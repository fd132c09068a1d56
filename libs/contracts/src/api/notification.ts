/**
 * The public routes of the notification service: the communications record of a booking and
 * template previews for staff.
 */
import { z } from 'zod';
import { access, defineRoutes } from './route';
import { page, pageFields } from './page';
import { notificationChannel, notificationTemplate } from '../events/notification';

const instant = z.iso.datetime({
  offset: true,
  message: 'must be an RFC 3339 date-time with an offset, e.g. 2026-05-01T10:00:00Z',
});
const uuid = z.uuid({ message: 'must be a UUID' });

/** `pending` until delivered, then `sent` (SMTP accepted it), `logged` (no SMTP configured) or `failed`. */
export const communicationStatus = z.enum(['pending', 'sent', 'logged', 'failed']);

const communication = z.object({
  id: uuid,
  bookingId: uuid,
  /** The event that caused the message, and its type. */
  eventId: z.string(),
  eventType: z.string(),
  template: notificationTemplate,
  channel: notificationChannel,
  to: z.string(),
  subject: z.string(),
  status: communicationStatus,
  providerMessageId: z.string().nullable(),
  /** Which transport (host:port) delivered it. */
  transport: z.string().nullable(),
  attempts: z.number().int(),
  error: z.string().nullable(),
  createdAt: instant,
  updatedAt: instant,
  sentAt: instant.nullable(),
});

const deliveryTry = z.object({
  /** Which delivery attempt this try belonged to (each attempt tries the transports in order). */
  attempt: z.number().int(),
  transport: z.string(),
  outcome: z.enum(['accepted', 'failed']),
  providerMessageId: z.string().nullable(),
  error: z.string().nullable(),
  at: instant,
});
const communicationDetail = communication.extend({ tries: z.array(deliveryTry) });
const idParams = z.object({ id: uuid });

const listQuery = z.object({
  bookingId: uuid,
  ...pageFields,
});

const previewParams = z.object({ template: notificationTemplate });
/** Every field is optional: the preview fills the rest with sample data. */
const previewBody = z.strictObject({
  guestName: z.string().trim().min(1).max(200).optional(),
  itemName: z.string().trim().min(1).max(200).optional(),
  location: z.string().trim().min(1).max(100).optional(),
  timezone: z.string().min(1).max(64).optional(),
  start: instant.optional(),
  end: instant.optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')
    .optional(),
  total: z.number().int().min(0).max(1_000_000_000_000).optional(),
  /** Reminders: how long before the start, e.g. `1h`, `24h`, `90m`. */
  offset: z
    .string()
    .regex(/^\d{1,5}[smhd]$/, 'must be an offset like 24h, 90m, 2d or 30s')
    .optional(),
  /** Cancellations and refunds: the amount refunded in minor units. */
  refundAmount: z.number().int().min(0).max(1_000_000_000_000).optional(),
  reason: z.string().trim().min(1).max(500).optional(),
});
const rendered = z.object({
  template: notificationTemplate,
  subject: z.string(),
  html: z.string(),
  text: z.string(),
});

const tag = 'notifications';
export const notificationApi = defineRoutes({
  listNotifications: {
    method: 'get',
    path: '/v1/notifications',
    summary: "A booking's communications record: every message, its channel, status and attempts",
    tag,
    access: access.roles(['concierge', 'admin'], 'staff (concierge, admin)'),
    query: listQuery,
    responses: {
      200: {
        description: 'A page of messages, oldest first',
        schema: page(communication),
      },
    },
  },
  getNotification: {
    method: 'get',
    path: '/v1/notifications/:id',
    summary: 'One message with every transport tried for it',
    tag,
    access: access.roles(['concierge', 'admin'], 'staff (concierge, admin)'),
    params: idParams,
    responses: { 200: { description: 'The message and its delivery tries', schema: communicationDetail } },
  },
  previewTemplate: {
    method: 'post',
    path: '/v1/notifications/preview/:template',
    summary: 'Render a template with sample data',
    tag,
    access: access.roles(['admin']),
    params: previewParams,
    body: previewBody,
    responses: { 200: { description: 'The rendered subject, HTML and text', schema: rendered } },
  },
});

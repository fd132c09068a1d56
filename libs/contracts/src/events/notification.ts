/** Events published by the notification service: one per message, so booking history can show it. */
import { z } from 'zod';

/**
 * One template per moment someone is told about: customer-facing ones, and `staff_*` ones for
 * the assigned concierge or the admins (kept out of what customers see of a booking's history).
 */
export const NOTIFICATION_TEMPLATES = [
  'booking_confirmed',
  'booking_reminder',
  'booking_modified',
  'booking_cancelled',
  'booking_no_show',
  'payment_failed',
  'deposit_declined',
  'late_payment_refund',
  'hold_expired',
  'staff_unassigned_booking',
  'staff_concierge_assigned',
  'staff_concierge_released',
  'staff_booking_modified',
  'staff_booking_cancelled',
  'staff_payment_failed',
  'staff_calendar_conflict',
  'staff_refund_dead_lettered',
  'loyalty_tier_up',
  'staff_deposit_declined',
] as const;

export function isStaffTemplate(template: string): boolean {
  return template.startsWith('staff_');
}
export const notificationTemplate = z.enum(NOTIFICATION_TEMPLATES);
export type NotificationTemplate = z.infer<typeof notificationTemplate>;

/** `log` when no SMTP transport is configured: the message is written to the log instead. */
export const notificationChannel = z.enum(['email', 'log']);
export type NotificationChannel = z.infer<typeof notificationChannel>;

export const notificationStatus = z.enum(['sent', 'failed', 'logged']);
export type NotificationStatus = z.infer<typeof notificationStatus>;

const communication = z.object({
  notificationId: z.uuid(),
  bookingId: z.uuid(),
  channel: notificationChannel,
  template: notificationTemplate,
  /** The recipient's address; empty when the booking had none to write to. */
  to: z.string(),
  status: notificationStatus,
  /** The id the mail server gave the accepted message. */
  providerMessageId: z.string().optional(),
  /** Delivery attempts made (each one tries every transport in order). */
  attempts: z.number().int().min(0),
  error: z.string().optional(),
  /** The event that caused this message. */
  eventId: z.string(),
});
export type NotificationRecord = z.infer<typeof communication>;

export const notificationEvents = {
  'notification.sent': communication.extend({ status: z.enum(['sent', 'logged']) }),
  'notification.failed': communication.extend({ status: z.literal('failed'), error: z.string() }),
} as const;
export type NotificationEventType = keyof typeof notificationEvents;

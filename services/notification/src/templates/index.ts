/** Every message template, by name. */
import type { NotificationTemplate } from '@midas/contracts';
import { bookingCancelled } from './booking-cancelled';
import { bookingConfirmed } from './booking-confirmed';
import { bookingModified } from './booking-modified';
import { bookingNoShow } from './booking-no-show';
import { bookingReminder } from './booking-reminder';
import { depositDeclined } from './deposit-declined';
import { holdExpired } from './hold-expired';
import { latePaymentRefund } from './late-payment-refund';
import { loyaltyTierUp } from './loyalty-tier-up';
import { paymentFailed } from './payment-failed';
import { staffBookingCancelled } from './staff-booking-cancelled';
import { staffBookingModified } from './staff-booking-modified';
import { staffConciergeAssigned } from './staff-concierge-assigned';
import { staffConciergeReleased } from './staff-concierge-released';
import { staffCalendarConflict } from './staff-calendar-conflict';
import { staffDepositDeclined } from './staff-deposit-declined';
import { staffPaymentFailed } from './staff-payment-failed';
import { staffRefundDeadLettered } from './staff-refund-dead-lettered';
import { staffUnassignedBooking } from './staff-unassigned-booking';
import type { TemplateSource } from './template-source';

export type { TemplateSource } from './template-source';
export { htmlLayout, textLayout, itineraryHtml, itineraryText } from './layout';

export const templateSources: Record<NotificationTemplate, TemplateSource> = {
  booking_confirmed: bookingConfirmed,
  booking_reminder: bookingReminder,
  booking_modified: bookingModified,
  booking_cancelled: bookingCancelled,
  booking_no_show: bookingNoShow,
  payment_failed: paymentFailed,
  deposit_declined: depositDeclined,
  late_payment_refund: latePaymentRefund,
  hold_expired: holdExpired,
  staff_unassigned_booking: staffUnassignedBooking,
  staff_concierge_assigned: staffConciergeAssigned,
  staff_concierge_released: staffConciergeReleased,
  staff_booking_modified: staffBookingModified,
  staff_booking_cancelled: staffBookingCancelled,
  staff_payment_failed: staffPaymentFailed,
  staff_calendar_conflict: staffCalendarConflict,
  staff_refund_dead_lettered: staffRefundDeadLettered,
  loyalty_tier_up: loyaltyTierUp,
  staff_deposit_declined: staffDepositDeclined,
};

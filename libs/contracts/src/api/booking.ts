/** Public routes of the booking service: bookings, payments, analytics, staff, loyalty. */
import { z } from 'zod';
import { access, defineRoutes } from './route';
import { page } from './page';
import { bookingStatus } from '../events/booking';
import { itemType } from '../rpc/availability';
import { addOnRequest, quoteLine, redeemPoints, tier } from '../rpc/pricing';
import { refundView } from './refunds';

const instant = z.iso.datetime({
  offset: true,
  message: 'must be an RFC 3339 date-time with an offset, e.g. 2026-05-01T10:00:00Z',
});
const uuid = z.uuid({ message: 'must be a UUID' });
const reason = z.string().trim().min(1).max(500);
const limit = z.coerce.number().int().min(1).max(200).default(50);
const cursor = z.string().max(500).optional();
/** Guests prove they hold a booking with the token returned at creation. */
const accessToken = z.string().min(16).max(200).optional();

/** International numbers, spaces, dots, dashes and brackets allowed: 7 to 15 digits. */
const phone = z
  .string()
  .trim()
  .max(40)
  .regex(/^\+?[0-9 ().-]+$/, 'must be a phone number such as +33 6 12 34 56 78')
  .refine((p) => {
    const digits = p.replace(/\D/g, '').length;
    return digits >= 7 && digits <= 15;
  }, 'must have 7 to 15 digits');

export const guestContact = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email({ message: 'must be an email address' }).max(254),
  phone,
});
export type GuestContact = z.infer<typeof guestContact>;

export const createBookingBody = z.strictObject({
  itemId: uuid,
  start: instant,
  end: instant,
  holdId: uuid.optional(),
  /** A guest adopting their hold proves it with the `holdToken` POST /v1/holds returned. */
  holdToken: z.string().min(1).max(200).optional(),
  tier: tier.optional(),
  addOns: z.array(addOnRequest).max(20).optional(),
  /** Where the guest pays, among the providers configured; unset: the default (Stripe when both are). */
  paymentProvider: z.enum(['stripe', 'paypal']).optional(),
  guest: guestContact.optional(),
  /**
   * Signed-in customers only: loyalty points to redeem as a `points` discount line. They are
   * taken from the balance with the booking and given back if it is cancelled or expires unpaid.
   */
  redeemPoints: redeemPoints.optional(),
});
export type CreateBookingBody = z.infer<typeof createBookingBody>;

export const modifyBookingBody = z
  .strictObject({
    start: instant.optional(),
    end: instant.optional(),
    addOns: z.array(addOnRequest).max(20).optional(),
  })
  .refine((b) => b.start !== undefined || b.end !== undefined || b.addOns !== undefined, {
    message: 'give start, end or addOns to change',
  });
export type ModifyBookingBody = z.infer<typeof modifyBookingBody>;

export const changeStatusBody = z.strictObject({ status: bookingStatus, reason: reason.optional() });
export const cancelBookingBody = z.strictObject({ reason, forceMajeure: z.boolean().optional() });
/** Without a concierge id: the automatic rule (least loaded at the location, else anywhere). */
export const assignBookingBody = z.strictObject({
  conciergeId: z.string().trim().min(1).max(200).optional(),
  reason: reason.optional(),
});

export const bookingParams = z.strictObject({ id: uuid });
export const bookingAccessQuery = z.strictObject({ accessToken });

export const listBookingsQuery = z.strictObject({
  status: bookingStatus.optional(),
  itemId: uuid.optional(),
  type: itemType.optional(),
  customerId: z.string().min(1).max(200).optional(),
  /** Bookings whose period ends after `from` and starts before `to`. */
  from: instant.optional(),
  to: instant.optional(),
  /** Matches guest name or email, item name, or the start of the booking id. */
  q: z.string().trim().min(1).max(100).optional(),
  limit,
  cursor,
});
export type ListBookingsQuery = z.infer<typeof listBookingsQuery>;

export const analyticsQuery = z.strictObject({ from: instant.optional(), to: instant.optional() });

const money = z.object({ currency: z.string(), amount: z.number().int() });
export const bookingView = z.object({
  id: z.uuid(),
  status: bookingStatus,
  itemId: z.uuid(),
  itemType: itemType,
  itemName: z.string(),
  location: z.string(),
  timezone: z.string(),
  start: instant,
  end: instant,
  tier,
  addOns: z.array(addOnRequest),
  price: z.object({ currency: z.string(), total: z.number().int(), lines: z.array(quoteLine) }),
  /** Charged and kept: succeeded charges minus issued refunds. */
  paid: z.number().int(),
  refunded: z.number().int(),
  customerId: z.string().optional(),
  guest: z.object({ name: z.string(), email: z.string(), phone: z.string() }).optional(),
  conciergeId: z.string().optional(),
  holdId: z.uuid().optional(),
  holdExpiresAt: instant.optional(),
  payment: z
    .object({
      provider: z.string(),
      status: z.string(),
      amount: z.number().int(),
      clientSecret: z.string().optional(),
    })
    .optional(),
  /**
   * The security deposit held on the card, when the item's policy asks for one. Stripe deposits
   * are authorised DEPOSIT_AUTH_LEAD_HOURS before the start (`authorizeAt`) with the card the
   * payment saved; PayPal's when the payer approved its order (`clientSecret`, the order id).
   */
  deposit: z
    .object({
      provider: z.string(),
      /**
       * pending (not yet authorised), authorized (held), succeeded (captured), cancelled
       * (released), declined (the card refused it: staff ask again, or the guest completes it).
       */
      status: z.string(),
      amount: z.number().int(),
      captured: z.number().int().optional(),
      /** Pending PayPal deposit: the order to approve; declined Stripe deposit: the attempt the guest can complete. */
      clientSecret: z.string().optional(),
      /** When a deposit still waiting will be authorised. */
      authorizeAt: instant.optional(),
    })
    .optional(),
  /** The deposit's status, as `deposit.status` (e.g. `declined`), for lists and filters. */
  depositStatus: z.string().optional(),
  /** Admins only: refunds the provider failed too often, waiting for staff (POST /v1/payments/refunds/:id/retry or /resolve). */
  deadLetteredRefunds: z.array(refundView).optional(),
  createdAt: instant,
  updatedAt: instant,
});
export type BookingView = z.infer<typeof bookingView>;

export const createdBookingView = bookingView.extend({
  payment: z.object({
    provider: z.string(),
    status: z.string(),
    amount: z.number().int(),
    clientSecret: z.string().optional(),
  }),
  accessToken: z.string().optional(),
});

export const modifiedBookingView = bookingView.extend({
  settlement: z.object({
    kind: z.enum(['none', 'charge', 'refund']),
    amount: z.number().int(),
  }),
});

/** A change that raises the price, waiting for its difference (202 from PATCH /v1/bookings/:id). */
export const pendingChangeView = z.object({
  pendingChange: z.object({
    id: z.uuid(),
    bookingId: z.uuid(),
    status: z.enum(['pending', 'applied', 'lapsed', 'withdrawn']),
    start: instant,
    end: instant,
    addOns: z.array(addOnRequest),
    price: z.object({ currency: z.string(), total: z.number().int(), lines: z.array(quoteLine) }),
    /** What is left to pay before the change applies. */
    difference: z.number().int(),
    /** Unpaid by then, the change lapses: its slot is released and the booking stays as it is. */
    expiresAt: instant,
  }),
  payment: z.object({
    provider: z.string(),
    status: z.string(),
    amount: z.number().int(),
    currency: z.string(),
    clientSecret: z.string().optional(),
  }),
  /** The booking as it stands: its dates, add-ons and price until the change applies. */
  booking: bookingView,
});

export type PendingChangeView = z.infer<typeof pendingChangeView>;

const actor = z.object({ role: z.string(), id: z.string().optional() });
export const historyEntry = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('status'),
    at: instant,
    actor,
    from: bookingStatus.nullable(),
    to: bookingStatus,
    reason: z.string().optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
  z.object({
    kind: z.literal('modification'),
    at: instant,
    actor,
    before: z.record(z.string(), z.unknown()),
    after: z.record(z.string(), z.unknown()),
    priceDifference: z.number().int(),
  }),
  z.object({
    kind: z.literal('payment'),
    at: instant,
    actor,
    type: z.enum(['charge', 'refund', 'deposit']),
    purpose: z.string(),
    amount: z.number().int(),
    currency: z.string(),
    /** The payment's status from this moment on; `attempt_failed` is a declined try that can be retried. */
    status: z.string(),
    provider: z.string(),
    paymentId: z.uuid().optional(),
    providerRef: z.string().optional(),
    detail: z.string().optional(),
  }),
  z.object({
    kind: z.literal('communication'),
    at: instant,
    actor,
    channel: z.string(),
    template: z.string(),
    to: z.string(),
    status: z.string(),
    attempts: z.number().int(),
  }),
  /** Staff only: someone put an event in the item's Google calendar over this booking. */
  z.object({
    kind: z.literal('calendar_conflict'),
    at: instant,
    actor,
    calendarId: z.string(),
    googleEventId: z.string(),
    start: instant,
    end: instant,
    summary: z.string(),
  }),
]);
export type HistoryEntry = z.infer<typeof historyEntry>;

export const analyticsSummary = z.object({
  from: instant,
  to: instant,
  bookings: z.object({
    total: z.number().int(),
    byStatus: z.record(z.string(), z.number().int()),
    byType: z.record(z.string(), z.number().int()),
  }),
  revenue: z.array(money),
  refunds: z.array(money),
  utilization: z.record(
    z.string(),
    z.object({ bookedHours: z.number(), availableHours: z.number(), rate: z.number().nullable() }),
  ),
  noShowRate: z.number().nullable(),
  holdConversion: z.object({
    holds: z.number().int(),
    converted: z.number().int(),
    rate: z.number().nullable(),
  }),
  /**
   * Signed-in customers as of `to`, over all their history: lifetime value is what they paid
   * and kept (settled charges less settled refunds; pending charges never count), per currency.
   */
  customers: z.object({
    lifetimeValue: z.array(
      z.object({
        currency: z.string(),
        customers: z.number().int(),
        total: z.number().int(),
        average: z.number().int(),
        max: z.number().int(),
      }),
    ),
    /** Customers with a completed booking, and those with two or more. */
    withCompletedBookings: z.number().int(),
    repeat: z.number().int(),
    repeatRate: z.number().nullable(),
  }),
  /** Loyalty standing now: customers and unspent points per tier. */
  loyalty: z.object({
    byTier: z.record(z.string(), z.object({ customers: z.number().int(), points: z.number().int() })),
  }),
  /** Per item location, for the window: bookings by status, settled revenue and refunds, no-shows. */
  byLocation: z.record(
    z.string(),
    z.object({
      bookings: z.number().int(),
      byStatus: z.record(z.string(), z.number().int()),
      revenue: z.array(money),
      refunds: z.array(money),
      noShowRate: z.number().nullable(),
    }),
  ),
});

export const conciergeBody = z.strictObject({
  /** The concierge's token subject, so their bearer token finds their assignments. */
  id: z.string().trim().min(1).max(200),
  name: z.string().trim().min(1).max(200),
  email: z.email({ message: 'must be an email address' }).max(254),
  location: z.string().trim().min(1).max(100),
  capacity: z.number().int().min(0).max(1000),
});
export const conciergePatch = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    email: z.email({ message: 'must be an email address' }).max(254).optional(),
    location: z.string().trim().min(1).max(100).optional(),
    capacity: z.number().int().min(0).max(1000).optional(),
    active: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'give at least one field to change' });
export const conciergeParams = z.strictObject({ id: z.string().min(1).max(200) });
export const conciergeView = conciergeBody.extend({
  active: z.boolean(),
  activeAssignments: z.number().int(),
  createdAt: instant,
});
export const conciergeListQuery = z.strictObject({ location: z.string().max(100).optional(), limit, cursor });

export const customerView = z.object({
  id: z.string(),
  tier,
  points: z.number().int(),
  lifetimeValues: z.array(money),
  /** Bookings of theirs completed: booking history counts toward the tier, as spend does. */
  completedBookings: z.number().int(),
});
/** Where a signed-in customer's messages go. */
export const profileBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email({ message: 'must be an email address' }).max(254),
  phone: phone.optional(),
});
export const profileView = z.object({
  name: z.string(),
  email: z.string(),
  phone: z.string().optional(),
  /** `profile` once saved; until then `token`, from the bearer token's email and name claims. */
  source: z.enum(['profile', 'token']),
});
export const customerParams = z.strictObject({ id: z.string().min(1).max(200) });
export const localConfirmParams = z.strictObject({ bookingId: uuid });
export const depositCaptureBody = z.strictObject({
  /** Minor units; unset: the whole deposit. */
  amount: z.number().int().positive().optional(),
  reason: reason.optional(),
});
export const depositReleaseBody = z.strictObject({ reason: reason.optional() });
export const webhookAck = z.object({ received: z.literal(true), duplicate: z.boolean() });

const tag = 'bookings';

export const bookingApi = defineRoutes({
  create: {
    method: 'post',
    path: '/v1/bookings',
    tag,
    access: access.anyone('anyone (guests give contact details); Idempotency-Key honoured'),
    summary: 'Book an item: hold, price and start the payment',
    body: createBookingBody,
    responses: {
      201: { description: 'Booked, awaiting payment', schema: createdBookingView },
      409: { description: 'Slot taken or Idempotency-Key reused' },
    },
  },
  list: {
    method: 'get',
    path: '/v1/bookings',
    tag,
    access: access.signedIn('staff (customers get their own)'),
    summary: 'List bookings',
    query: listBookingsQuery,
    responses: { 200: { description: 'A page of bookings', schema: page(bookingView) } },
  },
  mine: {
    method: 'get',
    path: '/v1/me/bookings',
    tag,
    access: access.signedIn(),
    summary: 'List my bookings',
    query: listBookingsQuery,
    responses: { 200: { description: 'A page of my bookings', schema: page(bookingView) } },
  },
  get: {
    method: 'get',
    path: '/v1/bookings/:id',
    tag,
    access: access.anyone('owner, assigned staff, admin; guests with ?accessToken='),
    summary: 'Read a booking',
    params: bookingParams,
    query: bookingAccessQuery,
    responses: { 200: { description: 'The booking', schema: bookingView } },
  },
  modify: {
    method: 'patch',
    path: '/v1/bookings/:id',
    tag,
    access: access.anyone('owner, staff'),
    summary: 'Change dates or add-ons, re-priced atomically',
    params: bookingParams,
    query: bookingAccessQuery,
    body: modifyBookingBody,
    responses: {
      200: {
        description: 'The changed booking and what the price change settles to (never a charge)',
        schema: modifiedBookingView,
      },
      202: {
        description:
          'The price rises: the change waits for its difference; the booking keeps its terms and the new slot is held until then',
        schema: pendingChangeView,
      },
      409: { description: 'New slot taken (old one kept), or the previous change is being paid' },
    },
  },
  changeStatus: {
    method: 'post',
    path: '/v1/bookings/:id/status',
    tag,
    access: access.anyone('by transition (see the booking lifecycle)'),
    summary: 'Move a booking along its lifecycle',
    params: bookingParams,
    query: bookingAccessQuery,
    body: changeStatusBody,
    responses: {
      200: { description: 'The booking after the transition', schema: bookingView },
      409: { description: 'Illegal transition' },
    },
  },
  cancel: {
    method: 'post',
    path: '/v1/bookings/:id/cancel',
    tag,
    access: access.anyone('owner, staff (force majeure: admin); Idempotency-Key honoured'),
    summary: 'Cancel and refund by policy',
    params: bookingParams,
    query: bookingAccessQuery,
    body: cancelBookingBody,
    responses: { 200: { description: 'The cancelled (or already refunded) booking', schema: bookingView } },
  },
  history: {
    method: 'get',
    path: '/v1/bookings/:id/history',
    tag,
    access: access.anyone('owner, staff'),
    summary: 'Status changes, modifications, payments, communications and (staff) calendar conflicts',
    params: bookingParams,
    query: bookingAccessQuery.extend({ limit, cursor }),
    responses: { 200: { description: 'Oldest first', schema: page(historyEntry) } },
  },
  analytics: {
    method: 'get',
    path: '/v1/analytics/summary',
    tag: 'analytics',
    access: access.roles(['admin']),
    summary:
      'Bookings, revenue, refunds, utilization, no-shows, conversion, customer value, loyalty, per location',
    query: analyticsQuery,
    responses: { 200: { description: 'Figures for [from, to)', schema: analyticsSummary } },
  },
  confirmLocalPayment: {
    method: 'post',
    path: '/v1/payments/local/:bookingId/confirm',
    tag: 'payments',
    access: access.anyone('anyone holding the booking; local provider only'),
    summary: 'Mark the pending payment succeeded, as a provider webhook would',
    params: localConfirmParams,
    query: bookingAccessQuery,
    responses: { 200: { description: 'The booking after payment', schema: bookingView } },
  },
  stripeWebhook: {
    method: 'post',
    path: '/v1/payments/stripe/webhook',
    tag: 'payments',
    access: access.anyone('Stripe (Stripe-Signature checked on the raw body)'),
    summary: 'payment_intent.succeeded, payment_intent.payment_failed, charge.refunded and deposit holds',
    responses: {
      200: { description: 'Handled, or a duplicate acknowledged', schema: webhookAck },
      400: { description: 'Bad signature, stale timestamp or altered body: nothing changed' },
      503: { description: 'Not handled now; Stripe retries' },
    },
  },
  paypalWebhook: {
    method: 'post',
    path: '/v1/payments/paypal/webhook',
    tag: 'payments',
    access: access.anyone(
      "PayPal (verified with PAYPAL_WEBHOOK_ID through PayPal's verify-webhook-signature)",
    ),
    summary:
      'PAYMENT.CAPTURE.COMPLETED, DENIED, PENDING and REFUNDED, PAYMENT.AUTHORIZATION.VOIDED and CAPTURED',
    responses: {
      200: { description: 'Handled, or a duplicate acknowledged', schema: webhookAck },
      400: { description: 'Not verified by PayPal, or not a PayPal event: nothing changed' },
      503: {
        description: 'Not handled now (PayPal did not answer, or PAYPAL_WEBHOOK_ID unset); PayPal retries',
      },
    },
  },
  capturePayPalPayment: {
    method: 'post',
    path: '/v1/payments/paypal/:bookingId/capture',
    tag: 'payments',
    access: access.anyone('anyone holding the booking; PayPal provider only'),
    summary: 'Capture the PayPal order the guest approved',
    params: localConfirmParams,
    query: bookingAccessQuery,
    responses: { 200: { description: 'The booking after payment', schema: bookingView } },
  },
  captureDeposit: {
    method: 'post',
    path: '/v1/bookings/:id/deposit/capture',
    tag: 'payments',
    access: access.anyone('staff'),
    summary: 'Capture all or part of the security deposit (in progress, completed or no-show)',
    params: bookingParams,
    query: bookingAccessQuery,
    body: depositCaptureBody,
    responses: {
      200: { description: 'The booking with its deposit captured', schema: bookingView },
      409: { description: 'No deposit held, or the booking is not under way or over' },
    },
  },
  releaseDeposit: {
    method: 'post',
    path: '/v1/bookings/:id/deposit/release',
    tag: 'payments',
    access: access.anyone('staff'),
    summary: 'Release the security deposit held on the card',
    params: bookingParams,
    query: bookingAccessQuery,
    body: depositReleaseBody,
    responses: {
      200: { description: 'The booking with its deposit released', schema: bookingView },
      409: { description: 'No deposit held' },
    },
  },
  authorizeDeposit: {
    method: 'post',
    path: '/v1/bookings/:id/deposit/authorize',
    tag: 'payments',
    access: access.anyone('staff'),
    summary: 'Ask for a declined security deposit again, once the guest updated their card',
    params: bookingParams,
    query: bookingAccessQuery,
    responses: {
      200: { description: 'The booking with its deposit authorised, or declined again', schema: bookingView },
      409: { description: 'No declined deposit, or the booking is not active or is over' },
      503: { description: 'The payment provider did not answer' },
    },
  },
  assign: {
    method: 'post',
    path: '/v1/bookings/:id/assign',
    tag: 'staff',
    access: access.roles(['admin']),
    summary: 'Assign or reassign the concierge of a booking',
    params: bookingParams,
    body: assignBookingBody,
    responses: {
      200: { description: 'The booking with its concierge', schema: bookingView },
      404: { description: 'No such booking or concierge' },
      409: { description: 'Not assignable in its status, or no concierge with room' },
    },
  },
  eraseBooking: {
    method: 'delete',
    path: '/v1/bookings/:id',
    tag: 'bookings',
    access: access.roles(['admin']),
    summary: "Erase a settled booking's personal data (money, times and status history are kept)",
    params: bookingParams,
    responses: {
      204: { description: 'Erased (again: still erased)' },
      404: { description: 'No such booking' },
      409: { description: 'The booking is not settled yet (not_settled)' },
    },
  },
  eraseCustomer: {
    method: 'delete',
    path: '/v1/customers/:id/personal-data',
    tag: 'customers',
    access: access.roles(['admin']),
    summary: "Erase a customer's profile and the personal data of every one of their bookings",
    params: customerParams,
    responses: {
      204: { description: 'Erased' },
      409: { description: 'Some of their bookings are not settled yet (bookings_not_settled)' },
    },
  },
  createConcierge: {
    method: 'post',
    path: '/v1/staff/concierges',
    tag: 'staff',
    access: access.roles(['super_admin']),
    summary: 'Add a concierge',
    body: conciergeBody,
    responses: { 201: { description: 'Created', schema: conciergeView } },
  },
  listConcierges: {
    method: 'get',
    path: '/v1/staff/concierges',
    tag: 'staff',
    access: access.roles(['super_admin']),
    summary: 'List concierges',
    query: conciergeListQuery,
    responses: { 200: { description: 'A page of concierges', schema: page(conciergeView) } },
  },
  updateConcierge: {
    method: 'patch',
    path: '/v1/staff/concierges/:id',
    tag: 'staff',
    access: access.roles(['super_admin']),
    summary: 'Change location, capacity or activity',
    params: conciergeParams,
    body: conciergePatch,
    responses: { 200: { description: 'Updated', schema: conciergeView } },
  },
  myLoyalty: {
    method: 'get',
    path: '/v1/me/loyalty',
    tag: 'customers',
    access: access.signedIn(),
    summary: 'My tier, points and lifetime value',
    responses: { 200: { description: 'Standing', schema: customerView } },
  },
  getProfile: {
    method: 'get',
    path: '/v1/me/profile',
    tag: 'customers',
    access: access.roles(['customer']),
    summary: 'My contact details (the token claims until a profile is saved)',
    responses: {
      200: { description: 'Profile', schema: profileView },
      404: { description: 'No profile and no email claim in the token' },
    },
  },
  putProfile: {
    method: 'put',
    path: '/v1/me/profile',
    tag: 'customers',
    access: access.roles(['customer']),
    summary: 'Set where my messages go; my bookings not yet over follow it',
    body: profileBody,
    responses: { 200: { description: 'Profile', schema: profileView } },
  },
  getCustomer: {
    method: 'get',
    path: '/v1/customers/:id',
    tag: 'customers',
    access: access.roles(['admin']),
    summary: "A customer's tier, points and lifetime value",
    params: customerParams,
    responses: { 200: { description: 'Standing', schema: customerView } },
  },
});

/** Booking summaries for domain tests: a plain one, and a fast-check arbitrary over awkward ones. */
import fc from 'fast-check';
import type { BookingSummary } from '@midas/contracts';

export function summary(overrides: Partial<BookingSummary> = {}): BookingSummary {
  return {
    bookingId: '3f1c2a9e-1111-4222-8333-444455556666',
    itemId: '9a8b7c6d-1111-4222-8333-444455556666',
    itemType: 'car',
    itemName: 'Ferrari Roma',
    location: 'Monaco',
    timezone: 'Europe/Monaco',
    start: '2026-07-01T08:00:00Z',
    end: '2026-07-03T08:00:00Z',
    status: 'confirmed',
    currency: 'EUR',
    total: 245_000,
    guest: { name: 'Alex Martin', email: 'alex@example.com' },
    ...overrides,
  };
}

const ZONES = ['Europe/Monaco', 'America/New_York', 'Asia/Dubai', 'Australia/Sydney', 'UTC', 'Not/AZone'];
const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'JPY', 'KWD', 'AED'];
const BASE = Date.UTC(2026, 0, 1);

/** Text that tries to break HTML and template syntax as well as ordinary names. */
export const awkwardText = fc.oneof(
  fc.string({ minLength: 1, maxLength: 40 }),
  fc.constantFrom(
    '<script>alert(1)</script>',
    '{{guestName}}',
    'Tom & Jerry "Yacht"',
    "O'Neil",
    'Ünïcødé ✈ 東京',
  ),
);

export const summaryArb: fc.Arbitrary<BookingSummary> = fc
  .record({
    bookingId: fc.uuid(),
    itemType: fc.constantFrom('car', 'yacht', 'jet', 'property', 'helicopter'),
    itemName: awkwardText,
    location: awkwardText,
    timezone: fc.constantFrom(...ZONES),
    startMinutes: fc.integer({ min: 0, max: 2 * 365 * 24 * 60 }),
    lengthMinutes: fc.integer({ min: 1, max: 30 * 24 * 60 }),
    currency: fc.constantFrom(...CURRENCIES),
    total: fc.integer({ min: 0, max: 100_000_000_000 }),
    guestName: fc.option(awkwardText, { nil: undefined }),
  })
  .map((r) =>
    summary({
      bookingId: r.bookingId,
      itemType: r.itemType,
      itemName: r.itemName,
      location: r.location,
      timezone: r.timezone,
      start: new Date(BASE + r.startMinutes * 60_000).toISOString(),
      end: new Date(BASE + (r.startMinutes + r.lengthMinutes) * 60_000).toISOString(),
      currency: r.currency,
      total: r.total,
      guest: r.guestName === undefined ? undefined : { name: r.guestName, email: 'guest@example.com' },
    }),
  );

/** GET /v1/analytics/summary: turns the SQL aggregates of one window into the public figures. */
import { RuleViolation } from '@midas/contracts';
import { summaryFigures } from '../db/analytics';
import { customerFigures, locationFigures, type LocationFigures } from '../db/customer-analytics';
import type { FlowContext } from './context';

const DAY_MS = 86_400_000;
const MAX_WINDOW_MS = 366 * DAY_MS;

function ratio(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;
}

export async function summarizeAnalytics(
  deps: Pick<FlowContext, 'db' | 'now'>,
  query: { from?: string; to?: string },
) {
  const to = query.to ? new Date(query.to) : deps.now();
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS);
  if (to.getTime() <= from.getTime())
    throw new RuleViolation('end_before_start', '`to` must be after `from`');
  if (to.getTime() - from.getTime() > MAX_WINDOW_MS)
    throw new RuleViolation('window_too_long', 'The window may span at most 366 days');

  const [f, customers, locations] = await Promise.all([
    summaryFigures(deps.db, from, to),
    customerFigures(deps.db, to),
    locationFigures(deps.db, from, to),
  ]);
  const byStatus: Record<string, number> = {};
  const byType: Record<string, number> = {};
  let total = 0;
  for (const c of f.counts) {
    if (c.by === 'status' && c.key) byStatus[c.key] = c.n;
    else if (c.by === 'type' && c.key) byType[c.key] = c.n;
    else if (c.by === 'total') total = c.n;
  }
  const utilization: Record<string, { bookedHours: number; availableHours: number; rate: number | null }> =
    {};
  for (const u of f.utilization) {
    const availableHours = u.items * f.windowHours;
    utilization[u.type] = {
      bookedHours: Math.round(u.booked_hours * 100) / 100,
      availableHours: Math.round(availableHours * 100) / 100,
      rate: ratio(u.booked_hours, availableHours),
    };
  }
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    bookings: { total, byStatus, byType },
    revenue: f.money
      .filter((m) => m.kind === 'charge')
      .map((m) => ({ currency: m.currency, amount: m.amount })),
    refunds: f.money
      .filter((m) => m.kind === 'refund')
      .map((m) => ({ currency: m.currency, amount: m.amount })),
    utilization,
    noShowRate: ratio(f.noShows.no_shows, f.noShows.due),
    holdConversion: {
      holds: f.conversion.holds,
      converted: f.conversion.converted,
      rate: ratio(f.conversion.converted, f.conversion.holds),
    },
    customers: {
      lifetimeValue: customers.lifetimeValue,
      withCompletedBookings: customers.completed.customers,
      repeat: customers.completed.repeat,
      repeatRate: ratio(customers.completed.repeat, customers.completed.customers),
    },
    loyalty: {
      byTier: Object.fromEntries(
        customers.tiers.map((t) => [t.tier, { customers: t.customers, points: t.points }]),
      ),
    },
    byLocation: perLocation(locations),
  };
}

interface LocationSummary {
  bookings: number;
  byStatus: Record<string, number>;
  revenue: { currency: string; amount: number }[];
  refunds: { currency: string; amount: number }[];
  noShowRate: number | null;
}

function perLocation(l: LocationFigures): Record<string, LocationSummary> {
  const out: Record<string, LocationSummary> = {};
  const at = (location: string): LocationSummary =>
    (out[location] ??= { bookings: 0, byStatus: {}, revenue: [], refunds: [], noShowRate: null });
  for (const c of l.counts) {
    const s = at(c.location);
    s.bookings += c.n;
    s.byStatus[c.status] = c.n;
  }
  for (const m of l.money) {
    const s = at(m.location);
    (m.kind === 'charge' ? s.revenue : s.refunds).push({ currency: m.currency, amount: m.amount });
  }
  for (const n of l.noShows) at(n.location).noShowRate = ratio(n.no_shows, n.due);
  return out;
}

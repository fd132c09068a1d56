/**
 * The soak's seeded mixed workload, through the gateway only, as clients and Stripe would drive
 * it: holds (some adopted into bookings), guest and customer bookings near in the future (so
 * reminders, check-ins, no-shows and completions fall due during the run) and further out,
 * Stripe webhooks delivered late, twice and out of order (and retried until answered, as Stripe
 * does), changes of dates up and down (a rise paid through its own PaymentIntent), cancellations
 * and check-ins. Calendar writes follow from the items linked to the local Google Calendar server.
 */
import { signToken } from '@midas/testing';
import type {
  FakeIntent,
  FakeStripe,
  StripeEventBody,
} from '../../services/booking/test/support/fake-stripe';
import type { Rng } from './rng';

export interface Counts {
  attempted: number;
  completed: number;
}

interface Known {
  id: string;
  itemId: string;
  start: number;
  end: number;
  /** `?accessToken=` for a guest's booking, empty for a customer's (the token carries the right). */
  q: string;
  token?: string;
  status: 'pending' | 'paid' | 'cancelled';
}

interface Delivery {
  event: StripeEventBody;
  dueAt: number;
  tries: number;
}

const MIN = 60_000;

export class Workload {
  readonly ops = new Map<string, Counts>();
  readonly items: string[] = [];
  private readonly bookings: Known[] = [];
  private readonly deliveries: Delivery[] = [];
  private admin = '';
  private root = '';
  webhooksDelivered = 0;
  /** Requests that got no answer, by cause. */
  readonly clientErrors = new Map<string, number>();
  /** Answers to webhook deliveries by HTTP status (0: no answer). */
  readonly webhookAnswers = new Map<number, number>();

  constructor(
    private readonly base: string,
    private readonly secret: string,
    private readonly stripe: FakeStripe,
    private readonly rng: Rng,
    private readonly say: (line: string) => void,
  ) {}

  private noteError(err: unknown): void {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const key = cause?.code ?? cause?.message ?? (err instanceof Error ? err.name : String(err));
    this.clientErrors.set(key, (this.clientErrors.get(key) ?? 0) + 1);
  }

  private count(op: string, ok: boolean): void {
    const c = this.ops.get(op) ?? { attempted: 0, completed: 0 };
    c.attempted++;
    if (ok) c.completed++;
    this.ops.set(op, c);
  }

  async call(
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ): Promise<{ status: number; body: any }> {
    try {
      const res = await fetch(`${this.base}${path}`, {
        method,
        headers: {
          ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          ...opts.headers,
        },
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await res.text();
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      return { status: res.status, body };
    } catch (err) {
      this.noteError(err);
      return { status: 0, body: String(err) };
    }
  }

  private token(opts: Parameters<typeof signToken>[0]): Promise<string> {
    return signToken({ ...opts, secret: this.secret });
  }

  /** Items (half linked to a Google calendar), concierges, and pricing ready to quote them. */
  async setup(itemCount: number): Promise<void> {
    this.admin = await this.token({ role: 'admin', sub: 'chaos-admin' });
    this.root = await this.token({ role: 'super_admin', sub: 'chaos-root' });
    for (let i = 0; i < 3; i++) {
      const r = await this.call('POST', '/v1/staff/concierges', {
        token: this.root,
        body: {
          id: `chaos-conc-${i}`,
          name: `Concierge ${i}`,
          email: `concierge${i}@chaos.test`,
          location: 'chaos-riviera',
          capacity: 1000,
        },
      });
      if (r.status !== 201) throw new Error(`concierge: ${r.status} ${JSON.stringify(r.body)}`);
    }
    for (let i = 0; i < itemCount; i++) {
      const r = await this.call('POST', '/v1/items', {
        token: this.admin,
        body: {
          type: 'car',
          name: `Chaos car ${i}`,
          location: 'chaos-riviera',
          timezone: 'Europe/Paris',
          currency: 'EUR',
          rate: { unit: 'hour', amount: 20_000 },
          bufferMinutes: 5,
          minNoticeMinutes: 0,
          minDuration: 'PT5M',
          maxDuration: 'P30D',
        },
      });
      if (r.status !== 201) throw new Error(`item: ${r.status} ${JSON.stringify(r.body)}`);
      this.items.push(r.body.id);
      if (i % 2 === 0) {
        const link = await this.call('PUT', `/v1/calendar/links/${r.body.id}`, {
          token: this.admin,
          body: { calendarId: `chaos-cal-${i}@group.calendar.google.com` },
        });
        if (link.status >= 300)
          this.say(`calendar link of item ${i}: ${link.status} ${JSON.stringify(link.body)}`);
      }
    }
    // Pricing and booking learn items from events: wait until every item is quoted.
    for (const itemId of this.items) {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const start = new Date(Date.now() + 400 * 24 * 60 * MIN).toISOString();
        const end = new Date(Date.now() + 400 * 24 * 60 * MIN + 60 * MIN).toISOString();
        const q = await this.call('POST', '/v1/quotes', { body: { itemId, start, end } });
        if (q.status === 200 || q.status === 201) break;
        if (Date.now() > deadline)
          throw new Error(`item ${itemId} never quoted: ${q.status} ${JSON.stringify(q.body)}`);
        await new Promise((r) => setTimeout(r, 300));
      }
    }
  }

  /** A slot: mostly within the next half hour, short, so its moments fall due during the run. */
  private slot(): { itemId: string; start: number; end: number } {
    const itemId = this.rng.pick(this.items)!;
    const near = this.rng.next() < 0.75;
    const startIn = near ? this.rng.int(2, 30) * MIN : this.rng.int(1, 20) * 24 * 60 * MIN;
    const start = Math.ceil((Date.now() + startIn) / MIN) * MIN;
    const end = start + this.rng.int(1, 4) * 5 * MIN;
    return { itemId, start, end };
  }

  private async book(withHold: boolean): Promise<void> {
    const slot = this.slot();
    const customer = this.rng.next() < 0.5;
    const sub = `chaos-cust-${this.rng.int(1, 40)}`;
    const token = customer
      ? await this.token({ role: 'customer', sub, email: `${sub}@chaos.test`, name: `Customer ${sub}` })
      : undefined;
    const span = {
      itemId: slot.itemId,
      start: new Date(slot.start).toISOString(),
      end: new Date(slot.end).toISOString(),
    };
    let hold: { id: string; holdToken?: string } | undefined;
    if (withHold) {
      const h = await this.call('POST', '/v1/holds', { token, body: span });
      this.count('hold', h.status === 201);
      if (h.status !== 201 || this.rng.next() < 0.3) return;
      hold = h.body;
    }
    const body = {
      ...span,
      ...(hold ? (customer ? { holdId: hold.id } : { holdToken: hold.holdToken }) : {}),
      ...(customer
        ? {}
        : {
            guest: {
              name: 'Chaos Guest',
              email: `guest${this.rng.int(1, 40)}@chaos.test`,
              phone: '+33 6 12 34 56 78',
            },
          }),
    };
    const r = await this.call('POST', '/v1/bookings', {
      token,
      body,
      headers: { 'Idempotency-Key': `chaos-${this.rng.int(0, 2 ** 31)}` },
    });
    this.count(customer ? 'customer booking' : 'guest booking', r.status === 201);
    if (r.status !== 201) return;
    const known: Known = {
      id: r.body.id,
      itemId: slot.itemId,
      start: slot.start,
      end: slot.end,
      q: r.body.accessToken ? `?accessToken=${encodeURIComponent(r.body.accessToken)}` : '',
      token,
      status: 'pending',
    };
    this.bookings.push(known);
    if (this.rng.next() < 0.85) this.payLater(known.id);
  }

  /** The guest pays (now, for the booking's open intents); Stripe's webhooks follow late, some twice, some out of order. */
  private payLater(bookingId: string, purpose?: (pi: FakeIntent) => boolean): void {
    const intents = [...this.stripe.intents.values()].filter(
      (pi) =>
        pi.metadata.booking_id === bookingId &&
        pi.status === 'requires_payment_method' &&
        (!purpose || purpose(pi)),
    );
    for (const pi of intents) {
      const stale =
        this.rng.next() < 0.2
          ? this.stripe.event('payment_intent.processing', this.stripe.startProcessing(pi.id))
          : undefined;
      const paid = this.stripe.event('payment_intent.succeeded', this.stripe.pay(pi.id));
      const delay = this.rng.int(0, 15_000);
      this.deliveries.push({ event: paid, dueAt: Date.now() + delay, tries: 0 });
      if (this.rng.next() < 0.3)
        this.deliveries.push({ event: paid, dueAt: Date.now() + delay + this.rng.int(0, 20_000), tries: 0 });
      // The older event arrives after the newer one.
      if (stale)
        this.deliveries.push({
          event: stale,
          dueAt: Date.now() + delay + this.rng.int(100, 5_000),
          tries: 0,
        });
      const b = this.bookings.find((k) => k.id === bookingId);
      if (b && b.status === 'pending') b.status = 'paid';
    }
  }

  private async modify(): Promise<void> {
    const b = this.rng.pick(
      this.bookings.filter((k) => k.status === 'paid' && k.start > Date.now() + 3 * MIN),
    );
    if (!b) return;
    const longer = this.rng.next() < 0.5;
    const end = longer ? b.end + 5 * MIN : Math.max(b.start + 5 * MIN, b.end - 5 * MIN);
    if (end === b.end) return;
    const r = await this.call('PATCH', `/v1/bookings/${b.id}${b.q}`, {
      token: b.token,
      body: { end: new Date(end).toISOString() },
    });
    this.count(longer ? 'modification up' : 'modification down', r.status === 200 || r.status === 202);
    if (r.status === 200) b.end = end;
    if (r.status === 202 && this.rng.next() < 0.8) this.payLater(b.id);
  }

  private async cancel(): Promise<void> {
    const b = this.rng.pick(this.bookings.filter((k) => k.status !== 'cancelled' && k.start > Date.now()));
    if (!b) return;
    const r = await this.call('POST', `/v1/bookings/${b.id}/cancel${b.q}`, {
      token: b.token,
      body: { reason: 'Plans changed' },
    });
    this.count('cancellation', r.status === 200);
    if (r.status === 200) b.status = 'cancelled';
  }

  private async checkIn(): Promise<void> {
    const now = Date.now();
    const b = this.rng.pick(
      this.bookings.filter((k) => k.status === 'paid' && k.start - now < 50 * MIN && k.start > now - 30_000),
    );
    if (!b || this.rng.next() < 0.4) return; // the rest become no-shows
    const r = await this.call('POST', `/v1/bookings/${b.id}/status`, {
      token: this.admin,
      body: { status: 'in_progress', reason: 'Guest arrived' },
    });
    this.count('check-in', r.status === 200);
  }

  /** Sends every webhook whose moment came; failed ones are retried with backoff, as Stripe retries. */
  private async deliverDue(): Promise<void> {
    const now = Date.now();
    const due = this.deliveries.filter((d) => d.dueAt <= now);
    for (const d of due) {
      const res = await this.stripe
        .deliver(`${this.base}/v1/payments/stripe/webhook`, d.event)
        .catch((err: unknown) => {
          this.noteError(err);
          return { status: 0, body: {} };
        });
      d.tries++;
      this.count('webhook delivery', res.status >= 200 && res.status < 300);
      this.webhookAnswers.set(res.status, (this.webhookAnswers.get(res.status) ?? 0) + 1);
      if (res.status >= 200 && res.status < 300) {
        this.deliveries.splice(this.deliveries.indexOf(d), 1);
        this.webhooksDelivered++;
      } else {
        d.dueAt = Date.now() + Math.min(15_000, 500 * 2 ** d.tries);
      }
    }
  }

  pendingDeliveries(): number {
    return this.deliveries.length;
  }

  private closed = false;
  private webhookLoop?: Promise<void>;

  /** Runs the clients until `untilMs`; webhooks go on being delivered (and retried) until `close()`. */
  async run(untilMs: number, workers = 3): Promise<void> {
    this.webhookLoop ??= (async () => {
      while (!this.closed) {
        await this.deliverDue();
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const worker = async () => {
      while (Date.now() < untilMs) {
        const roll = this.rng.next();
        if (roll < 0.35) await this.book(false);
        else if (roll < 0.5) await this.book(true);
        else if (roll < 0.65) await this.modify();
        else if (roll < 0.75) await this.cancel();
        else await this.checkIn();
        await new Promise((r) => setTimeout(r, this.rng.int(100, 600)));
      }
    };
    await Promise.all(Array.from({ length: workers }, worker));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.webhookLoop;
  }
}

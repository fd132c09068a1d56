// Real traffic through the gateway and the broker, so that every panel and alert has series:
// bookings paid and cancelled, a reminder that comes due, a refused conflict, a released hold,
// an item linked to a Google calendar (sync off: the link gives the read-lag gauges a series),
// client errors, a dead letter, a mail transport that fails, webhooks delivered to a local
// receiver, and RPC timeouts and 5xx while pricing is down (then pricing restarts, as a crashed
// pod would).
import http from 'node:http';
import amqp from 'amqplib';
import testing from '@midas/testing';

const MINUTE = 60_000;

export class Traffic {
  constructor(stack, log) {
    this.stack = stack;
    this.log = log;
  }

  async call(method, p, { token, body, query } = {}) {
    const url = new URL(this.stack.url('gateway', p));
    for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v);
    const res = await fetch(url, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let parsed;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed };
  }

  async expect(status, method, p, opts) {
    const res = await this.call(method, p, opts);
    if (res.status !== status)
      throw new Error(`${method} ${p}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async item(admin) {
    const item = await this.expect(201, 'POST', '/v1/items', {
      token: admin,
      body: {
        type: 'car',
        name: `Observability car ${Math.random().toString(36).slice(2, 8)}`,
        location: 'monaco',
        timezone: 'Europe/Monaco',
        currency: 'EUR',
        rate: { unit: 'day', amount: 100_000 },
        minNoticeMinutes: 0,
        bufferMinutes: 0,
      },
    });
    // Pricing learns items from events: wait until it quotes this one.
    const start = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const end = new Date(Date.now() + 4 * 86_400_000).toISOString();
    for (let i = 0; ; i++) {
      const q = await this.call('POST', '/v1/quotes', { body: { itemId: item.id, start, end } });
      if (q.status === 200) break;
      if (i > 200) throw new Error(`pricing never quoted the new item: ${q.status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return item;
  }

  async booking(token, itemId, start, end) {
    const created = await this.expect(201, 'POST', '/v1/bookings', {
      token,
      body: { itemId, start: new Date(start).toISOString(), end: new Date(end).toISOString() },
    });
    const paid = await this.expect(200, 'POST', `/v1/payments/local/${created.id}/confirm`, { token });
    return { id: created.id, status: paid.status };
  }

  /** Returns when the reminder booked here is due (its lag is observed once sent). */
  async run() {
    const admin = await testing.signToken({ role: 'admin', sub: 'obs-admin' });
    const alice = await testing.signToken({ role: 'customer', sub: 'obs-alice' });
    const item = await this.item(admin);
    await this.webhookReceiver(admin);
    await this.calendarLink(admin, item.id);

    // A booking starting in a little over a minute: its 1m reminder comes due in a few seconds.
    const soon = Date.now() + MINUTE + 8000;
    const a = await this.booking(alice, item.id, soon, soon + 60 * MINUTE);
    this.log(`booking ${a.id} ${a.status}, starts in ${Math.round((soon - Date.now()) / 1000)} s`);

    // A booking in two days, then cancelled: refunded by the local provider.
    const later = Date.now() + 2 * 86_400_000;
    const b = await this.booking(alice, item.id, later, later + 120 * MINUTE);
    const cancelled = await this.expect(200, 'POST', `/v1/bookings/${b.id}/cancel`, {
      token: alice,
      body: { reason: 'observability check' },
    });
    this.log(`booking ${b.id} cancelled: ${cancelled.status}`);

    // A hold over booking a is refused (the exclusion constraint); a free one is held, then released.
    const taken = await this.call('POST', '/v1/holds', {
      body: {
        itemId: item.id,
        start: new Date(soon).toISOString(),
        end: new Date(soon + 60 * MINUTE).toISOString(),
      },
    });
    if (taken.status !== 409)
      throw new Error(`a hold over a booking answered ${taken.status} ${JSON.stringify(taken.body)}`);
    const free = Date.now() + 5 * 86_400_000;
    const hold = await this.expect(201, 'POST', '/v1/holds', {
      body: {
        itemId: item.id,
        start: new Date(free).toISOString(),
        end: new Date(free + 60 * MINUTE).toISOString(),
      },
    });
    await this.expect(204, 'DELETE', `/v1/holds/${hold.id}`, { query: { holdToken: hold.holdToken } });
    this.log('conflict refused, hold released');

    // Client errors: an unknown booking, an invalid hold.
    await this.call('GET', '/v1/bookings/00000000-0000-4000-8000-000000000000', { token: admin });
    await this.call('POST', '/v1/holds', { body: { itemId: 'nope' } });

    await this.deadLetter();
    await this.pricingOutage(alice, item.id);
    return soon - MINUTE;
  }

  /** The item linked to a calendar: Google is not configured here, the link alone is kept and its read lag reported. */
  async calendarLink(admin, itemId) {
    // Calendar learns the item from item.created (or asks availability): retried until it knows it.
    for (let i = 0; ; i++) {
      const res = await this.call('PUT', `/v1/calendar/links/${itemId}`, {
        token: admin,
        body: { calendarId: 'observability-cars@group.calendar.google.com' },
      });
      if (res.status === 200) break;
      if (i > 100) throw new Error(`calendar link: ${res.status} ${JSON.stringify(res.body)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    this.log('item linked to a calendar');
  }

  /** A local receiver subscribed to the bookings' events: every webhook metric gets its series. */
  async webhookReceiver(admin) {
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    server.unref();
    const url = `http://127.0.0.1:${server.address().port}/midas`;
    await this.expect(201, 'POST', '/v1/webhooks', {
      token: admin,
      body: { url, events: ['booking.created', 'booking.confirmed', 'booking.cancelled'] },
    });
    this.log(`webhooks subscribed: ${url}`);
  }

  /** An event whose envelope is not valid: every consumer bound to it dead-letters it. */
  async deadLetter() {
    const conn = await amqp.connect(testing.AMQP_URL);
    try {
      const ch = await conn.createConfirmChannel();
      ch.publish(
        `${this.stack.namespace}midas.events`,
        'booking.created',
        Buffer.from('{"not":"an envelope"}'),
        {
          contentType: 'application/json',
          persistent: true,
        },
      );
      await ch.waitForConfirms();
      await ch.close();
    } finally {
      await conn.close();
    }
    this.log('published an invalid event (dead letter)');
  }

  /**
   * Pricing stops: quotes through the gateway fail with 5xx and booking's RPC to pricing times
   * out (503 rpc_timeout); then pricing starts again, as a restarted pod would.
   */
  async pricingOutage(token, itemId) {
    await this.stack.stop('pricing');
    const start = Date.now() + 6 * 86_400_000;
    const body = {
      itemId,
      start: new Date(start).toISOString(),
      end: new Date(start + 60 * MINUTE).toISOString(),
    };
    const quote = await this.call('POST', '/v1/quotes', { body });
    const booking = await this.call('POST', '/v1/bookings', { token, body });
    this.log(`pricing down: quote ${quote.status}, booking ${booking.status}`);
    await this.stack.start('pricing');
  }
}

/**
 * Payment reconciliation against Stripe's local stand-in with the official client (list APIs):
 * a clean ledger reports nothing, on the daily job's metrics as through `npm run reconcile`; then
 * one difference of each kind is planted on either side (a refund made in Stripe's dashboard, an
 * intent Stripe has lost, an amount, a currency, a status) and each is reported, by the daily job
 * (log and metric) and by the command, which exits 1 and changes nothing. Records whose provider
 * answer was never stored (the process died after the provider's answer) are compared by our id.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import Stripe from 'stripe';
import { TEST_SECRET_KEY, type FakeStripe } from '../support/fake-stripe';
import { bookAsGuest, type ProviderStack, startStripeStack, waitForStatus } from '../support/payment-stack';
import { at, call, createItem, eventually } from '../harness';

const ROOT = path.resolve(__dirname, '../../../..');
let fake: FakeStripe;
let ps: ProviderStack<FakeStripe>;
let webhookUrl: string;

beforeAll(async () => {
  ps = await startStripeStack({}, { scheduler: { reconcileEveryMs: 500, refundSweepEveryMs: 1000 } });
  ({ fake, webhookUrl } = ps);
}, 120_000);
afterAll(async () => {
  await ps?.stop();
});

async function paidBooking(days: number) {
  const item = await createItem(ps.stack);
  const b = await bookAsGuest(ps.stack, { itemId: item.id, start: at(days), end: at(days + 2) });
  const pi = fake.intentFor(b.id)!;
  fake.pay(pi.id);
  expect((await fake.deliver(webhookUrl, fake.event('payment_intent.succeeded', pi))).status).toBe(200);
  await waitForStatus(ps.stack, b.id, b.q, 'confirmed');
  return { ...b, pi };
}

/** `npm run reconcile -- <args>` as an operator runs it, against this test's database and Stripe. */
function reconcileCommand(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'tools/stack/dist/reconcile.js'), ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: ps.stack.env.cfg.DATABASE_URL,
        REDIS_URL: ps.stack.env.cfg.REDIS_URL,
        AMQP_URL: ps.stack.env.cfg.AMQP_URL,
        ...ps.providerEnv,
        ...env,
      },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

async function metrics(): Promise<Record<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${ps.stack.booking.port}/metrics`)).text();
  const found: Record<string, number> = {};
  for (const line of text.split('\n')) {
    // Labels in any order, the service's default label among them.
    const m = /^midas_reconciliation_differences\{(.*)\} (\d+)$/.exec(line);
    const kind = m && m[1]!.includes('section="payments"') ? /kind="([a-z_]+)"/.exec(m[1]!)?.[1] : undefined;
    if (kind) found[kind] = Number(m![2]);
  }
  return found;
}

async function lastRun(): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${ps.stack.booking.port}/metrics`)).text();
  const m = /^midas_reconciliation_last_run_timestamp_seconds\{.*section="payments".*\} (\d+)$/m.exec(text);
  return m ? Number(m[1]) : 0;
}

async function snapshot() {
  const { rows } = await ps.pool.query(
    'SELECT id, status, amount::int AS amount, provider_ref AS ref FROM booking.payments ORDER BY id',
  );
  return rows;
}

describe('payment reconciliation', () => {
  it('reports no difference for a clean ledger: the command exits 0 and the daily job exports zeros', async () => {
    const paid = await paidBooking(20);
    const refunded = await paidBooking(22);
    const cancel = await call(ps.stack, 'POST', `/v1/bookings/${refunded.id}/cancel${refunded.q}`, {
      body: { reason: 'plans changed' },
    });
    expect(cancel.status).toBe(200);
    await waitForStatus(ps.stack, refunded.id, refunded.q, 'refunded');
    // A booking never paid: its intent waits at Stripe, its charge waits in the ledger.
    const item = await createItem(ps.stack);
    await bookAsGuest(ps.stack, { itemId: item.id, start: at(24), end: at(25) });
    expect(paid.pi.status).toBe('succeeded');

    const run = await reconcileCommand(['payments']);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^payments: since .*stripe: (\d+) ledger records, \1 provider records\n/);
    expect(run.out).toContain('payments: no differences');

    await eventually(
      async () => {
        const m = await metrics();
        // The gauges read 0 from the start: the job's own run is the last-run timestamp being set.
        return (await lastRun()) > 0 && Object.keys(m).length === 5 && Object.values(m).every((n) => n === 0);
      },
      20_000,
      200,
    );
  });

  it('reports a planted difference of each kind, from the command (exit 1) and the daily job, and changes nothing', async () => {
    const dashboardRefund = await paidBooking(30);
    const lost = await paidBooking(32);
    const amount = await paidBooking(34);
    const currency = await paidBooking(36);
    const status = await paidBooking(38);

    // Someone refunded in Stripe's dashboard: Stripe has a refund the ledger never heard of.
    const stripe = new Stripe(TEST_SECRET_KEY, { host: '127.0.0.1', port: fake.port, protocol: 'http' });
    const outside = await stripe.refunds.create({ payment_intent: dashboardRefund.pi.id, amount: 500 });
    // Stripe no longer knows an intent the ledger has as paid.
    fake.intents.delete(lost.pi.id);
    // Stripe received less, in another currency, or says canceled, than the ledger believes.
    fake.intents.get(amount.pi.id)!.amount_received = amount.pi.amount - 100;
    fake.intents.get(currency.pi.id)!.currency = 'usd';
    fake.intents.get(status.pi.id)!.status = 'canceled';
    const before = await snapshot();
    const requestsBefore = fake.requests.filter((r) => r.method === 'POST').length;

    const run = await reconcileCommand(['payments']);
    expect(run.err).toBe('');
    expect(run.code).toBe(1);
    const lines = run.out.trim().split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(
            `^payments: missing in ledger: stripe ${outside.id}, booking ${dashboardRefund.id}.*: provider has 500 EUR succeeded`,
          ),
        ),
        expect.stringMatching(
          new RegExp(
            `^payments: missing at provider: stripe ${lost.pi.id}, booking ${lost.id}.*: ledger has ${lost.pi.amount} EUR succeeded`,
          ),
        ),
        expect.stringMatching(
          new RegExp(
            `^payments: amount differs: stripe ${amount.pi.id}.*ledger ${amount.pi.amount} EUR succeeded, provider ${amount.pi.amount - 100} EUR succeeded$`,
          ),
        ),
        expect.stringMatching(
          new RegExp(
            `^payments: currency differs: stripe ${currency.pi.id}.*ledger ${currency.pi.amount} EUR succeeded, provider ${currency.pi.amount} USD succeeded$`,
          ),
        ),
        expect.stringMatching(
          new RegExp(
            `^payments: status differs: stripe ${status.pi.id}.*ledger ${status.pi.amount} EUR succeeded, provider .* cancelled$`,
          ),
        ),
      ]),
    );
    expect(lines.filter((l) => / differs: | missing /.test(l))).toHaveLength(5);
    expect(lines[lines.length - 1]).toBe(
      'payments: 5 differences (missing_in_ledger 1, missing_at_provider 1, amount 1, currency 1, status 1)',
    );

    await eventually(
      async () => {
        const m = await metrics();
        return ['missing_in_ledger', 'missing_at_provider', 'amount', 'currency', 'status'].every(
          (k) => m[k] === 1,
        );
      },
      20_000,
      200,
    );

    // Nothing changed on either side: the ledger's rows, and no write to Stripe.
    expect(await snapshot()).toEqual(before);
    expect(fake.requests.filter((r) => r.method === 'POST').length).toBe(requestsBefore);
    for (const b of [lost, amount, currency, status]) {
      expect((await call(ps.stack, 'GET', `/v1/bookings/${b.id}${b.q}`)).body.status).toBe('confirmed');
    }
  });

  it('refuses an unknown section or a bad window with exit 2 and the usage, and says when Stripe cannot be reached', async () => {
    const unknown = await reconcileCommand(['payments', 'ledgers']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown section "ledgers"');
    expect(unknown.err).toContain('usage: npm run reconcile');
    const window = await reconcileCommand(['--since', 'yesterday']);
    expect(window.code).toBe(2);
    expect(window.err).toContain('--since "yesterday" is not a duration');
    const down = await reconcileCommand(['payments'], { STRIPE_API_BASE: 'http://127.0.0.1:9' });
    expect(down.code).toBe(2);
    expect(down.err).toMatch(/^payments: could not reconcile: /);
  });

  it('compares by our id a refund and a charge whose provider answer was never stored, until the refund repair reads the refund back', async () => {
    const refunded = await paidBooking(40);
    const cancel = await call(ps.stack, 'POST', `/v1/bookings/${refunded.id}/cancel${refunded.q}`, {
      body: { reason: 'plans changed' },
    });
    expect(cancel.status).toBe(200);
    await waitForStatus(ps.stack, refunded.id, refunded.q, 'refunded');
    const item = await createItem(ps.stack);
    const unpaid = await bookAsGuest(ps.stack, { itemId: item.id, start: at(44), end: at(45) });
    const row = async (bookingId: string, kind: string) =>
      (
        await ps.pool.query(
          `SELECT id, provider_ref AS ref, amount::int AS amount, status FROM booking.payments WHERE booking_id = $1 AND kind = $2`,
          [bookingId, kind],
        )
      ).rows[0];
    const refund = await row(refunded.id, 'refund');
    const charge = await row(unpaid.id, 'charge');
    expect(refund).toMatchObject({ status: 'succeeded', ref: expect.stringMatching(/^re_/) });
    expect(charge.ref).toMatch(/^pi_/);
    // As if each process died right after Stripe answered: neither reference reached the ledger,
    // and the refund is still open (its repair not due yet).
    await ps.pool.query(
      `UPDATE booking.payments SET provider_ref = NULL, status = 'pending', settled_at = NULL, next_repair_at = now() + interval '1 hour' WHERE id = $1`,
      [refund.id],
    );
    await ps.pool.query(`UPDATE booking.payments SET provider_ref = NULL WHERE id = $1`, [charge.id]);

    const run = await reconcileCommand(['payments']);
    expect(run.err).toBe('');
    const about = (id: string) => run.out.split('\n').filter((l) => l.includes(id));
    // The unpaid intent holds nothing: it agrees with the pending charge. The refund Stripe paid is still open here.
    expect(about(unpaid.id)).toEqual([]);
    expect(about(refunded.id)).toEqual([
      `payments: status differs: stripe ${refund.ref}, booking ${refunded.id}, payment ${refund.id}: ledger ${refund.amount} EUR pending, provider ${refund.amount} EUR succeeded`,
    ]);

    // The refund repair asks Stripe again under the refund's idempotency key: the same refund, now recorded.
    await ps.pool.query(`UPDATE booking.payments SET next_repair_at = now() WHERE id = $1`, [refund.id]);
    await eventually(async () => (await row(refunded.id, 'refund')).status === 'succeeded', 20_000, 200);
    expect((await row(refunded.id, 'refund')).ref).toBe(refund.ref);
    const again = await reconcileCommand(['payments']);
    expect(again.out.split('\n').filter((l) => l.includes(refunded.id))).toEqual([]);
  });
});

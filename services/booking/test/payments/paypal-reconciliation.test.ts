/**
 * Payment reconciliation of PayPal records against PayPal's local stand-in with the official
 * server SDK: PayPal's API cannot list orders or refunds, so each of our PayPal records of the
 * window is read back. A clean ledger reports nothing; then differences are planted at PayPal (an
 * order it no longer knows, a capture of another amount, a refund it failed) and each is reported
 * by the command (exit 1) and the daily job's metric, with nothing changed on either side.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { toDecimalString } from '@midas/contracts';
import { at, call, createItem, eventually } from '../harness';
import type { FakePayPal } from '../support/fake-paypal';
import { bookAsGuest, type ProviderStack, startPayPalStack, waitForStatus } from '../support/payment-stack';

const ROOT = path.resolve(__dirname, '../../../..');
let fake: FakePayPal;
let ps: ProviderStack<FakePayPal>;

beforeAll(async () => {
  ps = await startPayPalStack({}, { scheduler: { reconcileEveryMs: 500 } });
  fake = ps.fake;
}, 120_000);
afterAll(async () => {
  await ps?.stop();
});

/** A booking paid through PayPal: the payer approves the order and the capture route captures it. */
async function paidBooking(days: number) {
  const item = await createItem(ps.stack);
  const b = await bookAsGuest(ps.stack, { itemId: item.id, start: at(days), end: at(days + 2) });
  const order = fake.orderFor(b.id)!;
  fake.approve(order.id);
  const captured = await call(ps.stack, 'POST', `/v1/payments/paypal/${b.id}/capture${b.q}`);
  expect(captured.status).toBe(200);
  expect(captured.body.status).toBe('confirmed');
  return { ...b, order, total: b.body.price.total as number };
}

function reconcileCommand(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'tools/stack/dist/reconcile.js'), ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: ps.stack.env.cfg.DATABASE_URL,
        REDIS_URL: ps.stack.env.cfg.REDIS_URL,
        AMQP_URL: ps.stack.env.cfg.AMQP_URL,
        LOG_LEVEL: 'silent',
        ...ps.providerEnv,
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

/** The daily job's gauges on booking's /metrics: the payments section by kind, and its last run. */
async function metrics(): Promise<{ kinds: Record<string, number>; lastRun: number }> {
  const text = await (await fetch(`http://127.0.0.1:${ps.stack.booking.port}/metrics`)).text();
  const kinds: Record<string, number> = {};
  let lastRun = 0;
  for (const line of text.split('\n')) {
    const m = /^midas_reconciliation_differences\{(.*)\} (\d+)$/.exec(line);
    const kind = m && m[1]!.includes('section="payments"') ? /kind="([a-z_]+)"/.exec(m[1]!)?.[1] : undefined;
    if (kind) kinds[kind] = Number(m![2]);
    const run = /^midas_reconciliation_last_run_timestamp_seconds\{.*section="payments".*\} (\d+)$/.exec(
      line,
    );
    if (run) lastRun = Number(run[1]);
  }
  return { kinds, lastRun };
}

async function snapshot() {
  const { rows } = await ps.pool.query(
    'SELECT id, status, amount::int AS amount, provider_ref AS ref FROM booking.payments ORDER BY id',
  );
  return rows;
}

describe('PayPal payment reconciliation', () => {
  it('reports nothing for a clean ledger, then each difference planted at PayPal, and changes nothing', async () => {
    const clean = await paidBooking(20);
    const refunded = await paidBooking(22);
    const cancel = await call(ps.stack, 'POST', `/v1/bookings/${refunded.id}/cancel${refunded.q}`, {
      body: { reason: 'plans changed' },
    });
    expect(cancel.status).toBe(200);
    await waitForStatus(ps.stack, refunded.id, refunded.q, 'refunded');

    const first = await reconcileCommand(['payments']);
    expect(first.err).toBe('');
    expect(first.out).toContain('payments: no differences');
    expect(first.code).toBe(0);

    const lost = await paidBooking(30);
    const amount = await paidBooking(32);
    // PayPal no longer knows an order the ledger has as paid (another account, a restored database).
    fake.orders.delete(lost.order.id);
    // PayPal captured less than the ledger believes (a change made in PayPal's dashboard).
    const capture = fake.captureOf(amount.order.id)!;
    capture.amount = { currency_code: 'EUR', value: toDecimalString(amount.total - 100, 'EUR') };
    // PayPal failed a refund the ledger has as issued.
    const captureId = fake.captureOf(refunded.order.id)!.id;
    const [refund] = fake.refundsOf(captureId);
    expect(refund).toBeDefined();
    refund!.status = 'FAILED';
    const before = await snapshot();
    const writesBefore = fake.requests.filter(
      (r) => r.method === 'POST' && !r.path.includes('oauth2'),
    ).length;

    const run = await reconcileCommand(['payments']);
    expect(run.err).toBe('');
    expect(run.code).toBe(1);
    const lines = run.out.trim().split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(
            `^payments: missing at provider: paypal ${lost.order.id}, booking ${lost.id}.*: ledger has ${lost.total} EUR succeeded`,
          ),
        ),
        expect.stringMatching(
          new RegExp(
            `^payments: amount differs: paypal ${amount.order.id}.*ledger ${amount.total} EUR succeeded, provider ${amount.total - 100} EUR succeeded$`,
          ),
        ),
        expect.stringMatching(
          new RegExp(`^payments: status differs: paypal ${refund!.id}, booking ${refunded.id}.*failed$`),
        ),
      ]),
    );
    expect(lines.filter((l) => / differs: | missing /.test(l))).toHaveLength(3);
    expect(lines.join('\n')).not.toContain(clean.order.id);
    expect(lines[lines.length - 1]).toBe(
      'payments: 3 differences (missing_at_provider 1, amount 1, status 1)',
    );

    // The daily job on the running service reports the same.
    await eventually(
      async () => {
        const m = await metrics();
        return (
          m.lastRun > 0 && m.kinds.missing_at_provider === 1 && m.kinds.amount === 1 && m.kinds.status === 1
        );
      },
      20_000,
      200,
    );
    expect((await metrics()).kinds).toMatchObject({ missing_in_ledger: 0, currency: 0 });

    expect(await snapshot()).toEqual(before);
    expect(fake.requests.filter((r) => r.method === 'POST' && !r.path.includes('oauth2')).length).toBe(
      writesBefore,
    );
    for (const b of [lost, amount, clean]) {
      expect((await call(ps.stack, 'GET', `/v1/bookings/${b.id}${b.q}`)).body.status).toBe('confirmed');
    }
    // Four paid bookings and the command started twice, each a process of its own.
  }, 180_000);
});

/**
 * A payment provider that fails (a 4xx, a 5xx, or nobody answering) must not put credentials into
 * booking's logs: the official Stripe and PayPal clients run against local compatible servers made
 * to fail, booking's own log lines are captured, and no Authorization value, bearer token, secret
 * key or basic credential may be in them, while the failure itself is logged.
 */
import { Writable } from 'node:stream';
import { at, call, createItem, guest, startStack, type Stack } from '../harness';
import { FakePayPal, PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET } from '../support/fake-paypal';
import { FakeStripe, TEST_SECRET_KEY, TEST_WEBHOOK_SECRET } from '../support/fake-stripe';

interface CapturedLog {
  stream: Writable;
  text: () => string;
  mark: () => number;
  since: (mark: number) => string;
}

function captureLog(): CapturedLog {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return {
    stream,
    text: () => lines.join(''),
    mark: () => lines.length,
    since: (mark) => lines.slice(mark).join(''),
  };
}

/** Every `Bearer`/`Basic` in the text is followed by the redaction mark, and no header value survives. */
function expectNoCredentials(text: string, secrets: string[]): void {
  for (const secret of secrets) expect(text).not.toContain(secret);
  for (const match of text.matchAll(/\b(Bearer|Basic)(\s+|%20)(\S{0,12})/gi)) {
    expect(match[3]).toMatch(/^\[redacted\]/);
  }
  for (const match of text.matchAll(/"(?:authorization|proxy-authorization)"\s*:\s*"([^"]*)"/gi)) {
    expect(match[1]).toBe('[redacted]');
  }
}

async function bookOnce(stack: Stack, itemId: string, day: number) {
  return call(stack, 'POST', '/v1/bookings', {
    body: { itemId, start: at(day), end: at(day + 1), guest },
  });
}

/** The booking fails at the provider; returns its log lines, once the failure is in them. */
async function failedBookingLog(
  stack: Stack,
  log: CapturedLog,
  itemId: string,
  day: number,
): Promise<string> {
  const mark = log.mark();
  const res = await bookOnce(stack, itemId, day);
  expect(res.status).toBeGreaterThanOrEqual(400);
  const text = log.since(mark);
  expect(text).toMatch(/payment could not be started/);
  return text;
}

describe('Stripe errors in the logs', () => {
  let fake: FakeStripe;
  let stack: Stack;
  const log = captureLog();
  let itemId: string;

  beforeAll(async () => {
    fake = await new FakeStripe().start();
    stack = await startStack(
      {
        STRIPE_SECRET_KEY: TEST_SECRET_KEY,
        STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
        STRIPE_API_BASE: fake.url,
        LOG_LEVEL: 'info',
      },
      {},
      log.stream,
    );
    itemId = (await createItem(stack)).id;
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await fake?.stop();
  });

  const secrets = () => [TEST_SECRET_KEY, 'midas_fake', TEST_WEBHOOK_SECRET];

  it('keeps the secret key out of the log when Stripe refuses the call (401 and 400)', async () => {
    fake.failure = {
      match: /POST \/v1\/payment_intents$/,
      status: 401,
      type: 'invalid_request_error',
      message: `Invalid API Key provided: ${TEST_SECRET_KEY}`,
    };
    const unauthorised = await failedBookingLog(stack, log, itemId, 20);
    fake.failure = {
      match: /POST \/v1\/payment_intents$/,
      status: 400,
      type: 'invalid_request_error',
      message: 'Amount must be at least 50 cents',
    };
    const invalid = await failedBookingLog(stack, log, itemId, 23);
    fake.failure = undefined;
    expect(unauthorised).toMatch(/Invalid API Key provided/);
    expectNoCredentials(unauthorised + invalid, secrets());
  });

  it('keeps it out when Stripe answers 500', async () => {
    fake.outage = /POST \/v1\/payment_intents$/;
    const text = await failedBookingLog(stack, log, itemId, 26);
    fake.outage = undefined;
    expectNoCredentials(text, secrets());
  });

  it('keeps it out when Stripe cannot be reached', async () => {
    const port = fake.port;
    await fake.stop();
    try {
      const text = await failedBookingLog(stack, log, itemId, 29);
      expect(text).toMatch(/ECONNREFUSED|connection|connect/i);
      expectNoCredentials(text, secrets());
    } finally {
      await fake.start(port);
    }
    expectNoCredentials(log.text(), secrets());
  });
});

describe('PayPal errors in the logs', () => {
  let fake: FakePayPal;
  let stack: Stack;
  const log = captureLog();
  let itemId: string;
  const basic = Buffer.from(`${PAYPAL_CLIENT_ID}:${PAYPAL_CLIENT_SECRET}`).toString('base64');

  beforeAll(async () => {
    fake = await new FakePayPal().start();
    stack = await startStack(
      { PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET, PAYPAL_API_BASE: fake.url, LOG_LEVEL: 'info' },
      {},
      log.stream,
    );
    itemId = (await createItem(stack)).id;
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await fake?.stop();
  });

  const secrets = () => [PAYPAL_CLIENT_SECRET, basic, ...fake.tokens];

  it('keeps the client credentials out of the log when the OAuth call is refused (401)', async () => {
    fake.failure = { match: /POST \/v1\/oauth2\/token$/, status: 401, name: 'invalid_client' };
    const text = await failedBookingLog(stack, log, itemId, 20);
    fake.failure = undefined;
    expectNoCredentials(text, secrets());
  });

  it('asks for a token again after a refused one, so PayPal works once the OAuth call does', async () => {
    const res = await bookOnce(stack, itemId, 21);
    expect(res.status).toBe(201);
    expect(fake.tokens.size).toBe(1);
  });

  it('keeps the access token out when an order is refused (422) or PayPal fails (500)', async () => {
    fake.failure = { match: /POST \/v2\/checkout\/orders$/, status: 422, name: 'UNPROCESSABLE_ENTITY' };
    const refused = await failedBookingLog(stack, log, itemId, 23);
    fake.failure = { match: /POST \/v2\/checkout\/orders$/, status: 500, name: 'INTERNAL_SERVER_ERROR' };
    const broken = await failedBookingLog(stack, log, itemId, 26);
    fake.failure = undefined;
    // The SDK did get a token before the order call, so there is one to look for.
    expect(fake.tokens.size).toBeGreaterThan(0);
    expectNoCredentials(refused + broken, secrets());
  });

  it('keeps them out when PayPal cannot be reached', async () => {
    const port = fake.port;
    await fake.stop();
    try {
      const text = await failedBookingLog(stack, log, itemId, 29);
      expectNoCredentials(text, secrets());
    } finally {
      await fake.start(port);
    }
    expectNoCredentials(log.text(), secrets());
  });
});

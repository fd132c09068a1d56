import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Conflict, NotFound, Unavailable, ValidationFailed, availabilityRpc } from '@midas/contracts';
import { RpcRemoteError, type Broker } from '@midas/messaging';
import { messagingEnv, type MessagingEnv } from './harness';

const echo = {
  method: 'test.echo',
  request: z.object({ text: z.string().min(1) }),
  response: z.object({ text: z.string(), at: z.string() }),
};

describe('RPC over RabbitMQ', () => {
  let m: MessagingEnv;
  let server: Broker;
  let client: Broker;

  beforeAll(async () => {
    m = await messagingEnv([]);
    server = await m.connect('availability');
    client = await m.connect('booking');
    m.queues.push(server.names.rpcQueue(echo.method), server.names.rpcQueue(availabilityRpc.hold.method));
    await server.serve(echo, ({ text }) => {
      if (text === 'boom') throw new Error('a bug in the server');
      if (text === 'bad') return { text: 5 } as never;
      return { text: text.toUpperCase(), at: new Date().toISOString() };
    });
    await server.serve(availabilityRpc.hold, (req) => {
      if (req.holder === 'missing') throw new NotFound('item');
      throw new Conflict('slot_taken', 'That slot is already held or booked', { itemId: req.itemId });
    });
  });
  afterAll(() => m.close());

  it('answers within the deadline with a validated response', async () => {
    const res = await client.call(echo, { text: 'hello' }, { timeoutMs: 3000 });
    expect(res.text).toBe('HELLO');
  });

  it('answers many concurrent calls, each with its own reply', async () => {
    const texts = Array.from({ length: 50 }, (_, i) => `call-${i}`);
    const answers = await Promise.all(texts.map((text) => client.call(echo, { text })));
    expect(answers.map((a) => a.text)).toEqual(texts.map((t) => t.toUpperCase()));
  });

  it('throws the same DomainError class, code, status and message the server threw', async () => {
    const req = { itemId: randomUUID(), start: '2030-01-01T10:00:00Z', end: '2030-01-01T12:00:00Z' };
    const err = await client.call(availabilityRpc.hold, req).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Conflict);
    expect(err).toMatchObject({
      code: 'slot_taken',
      status: 409,
      message: 'That slot is already held or booked',
      details: { itemId: req.itemId },
    });
    const missing = await client
      .call(availabilityRpc.hold, { ...req, holder: 'missing' })
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFound);
    expect(missing).toMatchObject({ code: 'not_found', status: 404, message: 'item not found' });
  });

  it('replies ValidationFailed naming the bad field when the request breaks the schema', async () => {
    const err = await client.call(availabilityRpc.hold, { itemId: 'nope' } as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationFailed);
    expect((err as ValidationFailed).errors.map((e) => e.field)).toEqual(
      expect.arrayContaining(['itemId', 'start', 'end']),
    );
  });

  it('reports a server bug as a remote error, not a timeout', async () => {
    const err = await client.call(echo, { text: 'boom' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcRemoteError);
    expect(err).toMatchObject({ code: 'internal', status: 500 });
  });

  it('refuses a response that breaks the response schema', async () => {
    const err = await client.call(echo, { text: 'bad' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'invalid_response' });
  });

  it('times out with Unavailable rpc_timeout when no server runs', async () => {
    const nobody = { method: 'test.nobody', request: z.object({}), response: z.object({}) };
    const started = Date.now();
    const err = await client.call(nobody, {}, { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Unavailable);
    expect(err).toMatchObject({ code: 'rpc_timeout', status: 503 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });
});

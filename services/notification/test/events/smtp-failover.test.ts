import { bearer, eventually, signToken } from '@midas/testing';
import { deliveryJobId } from '../../src/jobs/delivery-queue';
import { bookingSummary, startHarness, type Harness } from '../support/harness';
import { deadSmtpUrl, startSmtpSink, type SmtpSink } from '../support/smtp-sink';

describe('SMTP failover, retries and dead letters', () => {
  let primaryUrl: string;
  let secondary: SmtpSink;
  let h: Harness;

  beforeAll(async () => {
    primaryUrl = await deadSmtpUrl();
    secondary = await startSmtpSink();
    h = await startHarness(
      { SMTP_URL: `${primaryUrl},${secondary.url}` },
      { delivery: { attempts: 3, backoffMs: 300 } },
    );
  });
  afterAll(async () => {
    await h?.close();
    await secondary?.close();
  });

  const primaryLabel = () => new URL(primaryUrl).host;
  const secondaryLabel = () => `127.0.0.1:${secondary.port}`;

  async function communication(bookingId: string) {
    const { rows } = await h.pool.query<{
      id: string;
      status: string;
      attempts: number;
      transport: string | null;
      error: string | null;
    }>(
      'SELECT id, status, attempts, transport, error FROM notification.communications WHERE booking_id = $1',
      [bookingId],
    );
    return rows[0];
  }
  async function tries(communicationId: string) {
    const { rows } = await h.pool.query<{ attempt: number; transport: string; outcome: string }>(
      'SELECT attempt, transport, outcome FROM notification.delivery_attempts WHERE communication_id = $1 ORDER BY id',
      [communicationId],
    );
    return rows;
  }
  const confirm = (booking: ReturnType<typeof bookingSummary>) =>
    h.publish('booking.status_changed', {
      ...booking,
      from: 'pending_payment',
      to: 'confirmed',
      actor: 'system',
    });

  it('delivers through the secondary transport when the primary is down, and records both tries', async () => {
    const booking = bookingSummary();
    await confirm(booking);
    const row = await eventually(async () => {
      const c = await communication(booking.bookingId);
      return c?.status === 'sent' && c;
    });
    expect(row).toMatchObject({ attempts: 1, transport: secondaryLabel(), error: null });
    expect(secondary.recipients.flat()).toContain(booking.guest!.email);
    expect(await tries(row.id)).toEqual([
      { attempt: 1, transport: primaryLabel(), outcome: 'failed' },
      { attempt: 1, transport: secondaryLabel(), outcome: 'accepted' },
    ]);

    // Staff see the same through the API.
    const base = `http://127.0.0.1:${h.service.port}/v1/notifications`;
    const staff = bearer(await signToken({ role: 'concierge', location: 'Monaco' }));
    const res = await fetch(`${base}/${row.id}`, { headers: staff });
    expect(res.status).toBe(200);
    const detail = (await res.json()) as {
      status: string;
      tries: { transport: string; outcome: string; error: string | null }[];
    };
    expect(detail.status).toBe('sent');
    expect(detail.tries.map((t) => [t.transport, t.outcome])).toEqual([
      [primaryLabel(), 'failed'],
      [secondaryLabel(), 'accepted'],
    ]);
    expect(detail.tries[0]?.error).toContain('ECONNREFUSED');
    expect((await fetch(`${base}/00000000-0000-4000-8000-000000000000`, { headers: staff })).status).toBe(
      404,
    );
    expect((await fetch(`${base}/not-a-uuid`, { headers: staff })).status).toBe(400);
  });

  it('retries after both transports failed and delivers once a relay is back', async () => {
    const port = secondary.port;
    await secondary.close();
    const booking = bookingSummary();
    await confirm(booking);
    await eventually(async () => (await communication(booking.bookingId))?.error?.includes(primaryLabel()));
    secondary = await startSmtpSink({ port });
    const row = await eventually(async () => {
      const c = await communication(booking.bookingId);
      return c?.status === 'sent' && c;
    });
    expect(row.attempts).toBeGreaterThanOrEqual(2);
    expect(row.error).toBeNull();
    expect(secondary.recipients.flat()).toEqual([booking.guest!.email]);
    const outcomes = (await tries(row.id)).map((t) => t.outcome);
    expect(outcomes.at(-1)).toBe('accepted');
    expect(outcomes.filter((o) => o === 'failed').length).toBeGreaterThanOrEqual(3);
  });

  it('fails the message, naming the refusal, when the only reachable relay refuses the recipient', async () => {
    secondary.rejectRecipients(550);
    try {
      const booking = bookingSummary();
      const event = await confirm(booking);
      const failed = await eventually(
        async () => h.observed.find((e) => e.data.eventId === event.id),
        15_000,
      );
      expect(failed.type).toBe('notification.failed');
      expect(failed.data.error).toContain('mailbox unavailable');
      expect(secondary.recipients.flat()).not.toContain(booking.guest!.email);
      expect((await communication(booking.bookingId))?.status).toBe('failed');
    } finally {
      secondary.rejectRecipients(undefined);
    }
  });

  it('retries with backoff when both transports are down, then dead-letters and says so in the record', async () => {
    await secondary.close();
    const booking = bookingSummary();
    const event = await confirm(booking);
    const failed = await eventually(async () => h.observed.find((e) => e.data.eventId === event.id), 15_000);
    expect(failed).toMatchObject({
      type: 'notification.failed',
      data: {
        status: 'failed',
        channel: 'email',
        template: 'booking_confirmed',
        attempts: 3,
        to: booking.guest!.email,
      },
    });
    expect(failed.data.error).toMatch(/^dead-lettered after 3 attempts: /);

    const row = await communication(booking.bookingId);
    expect(row).toMatchObject({ status: 'failed', attempts: 3, transport: null });
    expect(row?.error).toContain(primaryLabel());
    expect(row?.error).toContain(secondaryLabel());
    const attempts = await tries(row!.id);
    expect(attempts.map((t) => `${t.attempt}:${t.outcome}`)).toEqual([
      '1:failed',
      '1:failed',
      '2:failed',
      '2:failed',
      '3:failed',
      '3:failed',
    ]);

    // The job stays in BullMQ's failed set: the dead letters, kept for inspection.
    const job = await h.service.ctx.jobs.queue('notifications').getJob(deliveryJobId(row!.id));
    expect(await job?.getState()).toBe('failed');
    expect(job?.attemptsMade).toBe(3);
  });
});

import { eventually } from '@midas/testing';
import { bookingSummary, startHarness, type Harness } from '../support/harness';

describe('without SMTP_URL', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({});
  });
  afterAll(async () => {
    await h?.close();
  });

  it('writes each message to the log channel and records it as logged, never dropping it', async () => {
    const booking = bookingSummary();
    const event = await h.publish('booking.status_changed', {
      ...booking,
      status: 'expired',
      from: 'pending_payment',
      to: 'expired',
      actor: 'system',
    });
    const published = await eventually(async () => h.observed.find((e) => e.data.eventId === event.id));
    expect(published).toMatchObject({
      type: 'notification.sent',
      data: {
        channel: 'log',
        status: 'logged',
        template: 'hold_expired',
        to: booking.guest!.email,
        attempts: 1,
      },
    });
    const { rows } = await h.pool.query(
      'SELECT channel, status, subject, body_text, sent_at FROM notification.communications WHERE booking_id = $1',
      [booking.bookingId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      channel: 'log',
      status: 'logged',
      subject: `Your hold on ${booking.itemName} has lapsed`,
    });
    expect(rows[0].body_text).toContain('nothing has been charged');
    expect(rows[0].sent_at).toBeInstanceOf(Date);
  });
});

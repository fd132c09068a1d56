import fc from 'fast-check';
import { NOTIFICATION_TEMPLATES } from '@midas/contracts';
import { bookingReference, buildView } from '../../src/domain/message-view';
import { renderMessage } from '../../src/domain/renderer';
import { awkwardText, summary, summaryArb } from './fixtures';

const extras = {
  offset: '1h',
  refundAmount: 122_500,
  reason: 'Change of plans',
  previous: { start: '2026-06-20T08:00:00Z', end: '2026-06-21T08:00:00Z', total: 180_000 },
};

describe('renderMessage', () => {
  it('renders every template, for any booking, into a one-line subject, HTML and text', () => {
    fc.assert(
      fc.property(fc.constantFrom(...NOTIFICATION_TEMPLATES), summaryArb, (template, booking) => {
        const message = renderMessage(template, buildView(booking, extras));
        expect(message.subject).not.toMatch(/[\r\n]/);
        expect(message.subject.length).toBeGreaterThan(0);
        expect(message.html).toMatch(/^<!DOCTYPE html>/);
        expect(message.text).toContain(`Booking reference: ${bookingReference(booking.bookingId)}`);
        expect(message.html).toContain(
          `<strong style="color:#5c5446;">${bookingReference(booking.bookingId)}</strong>`,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('escapes what guests and staff typed, so nothing they write becomes markup', () => {
    fc.assert(
      fc.property(fc.constantFrom(...NOTIFICATION_TEMPLATES), awkwardText, (template, name) => {
        const message = renderMessage(
          template,
          buildView(
            summary({
              itemName: `<b onclick="x">${name}</b>`,
              guest: { name: '<img src=x>', email: 'a@b.co' },
            }),
            extras,
          ),
        );
        expect(message.html).not.toContain('<b onclick');
        expect(message.html).not.toContain('<img src=x>');
        expect(message.html).not.toContain('<script>');
      }),
    );
  });

  it('puts the itinerary in the confirmation: item, place, local times, duration and total', () => {
    const { subject, html, text } = renderMessage('booking_confirmed', buildView(summary()));
    expect(subject).toBe('Confirmed: Ferrari Roma on 1 Jul 2026');
    for (const part of [html, text]) {
      expect(part).toContain('Ferrari Roma');
      expect(part).toContain('Monaco');
      expect(part).toContain('Wednesday 1 July 2026, 10:00 CEST');
      expect(part).toContain('Friday 3 July 2026, 10:00 CEST');
      expect(part).toContain('2 days');
      expect(part).toContain('€2,450.00');
      expect(part).toContain('3F1C2A9E');
    }
    expect(text).toContain('Pick-up:        Wednesday 1 July 2026, 10:00 CEST');
    expect(text).toContain('Dear Alex,');
  });

  it('says how far ahead a reminder is', () => {
    const message = renderMessage('booking_reminder', buildView(summary(), { offset: '1h' }));
    expect(message.subject).toBe('In 1 hour: Ferrari Roma, Monaco');
    expect(message.text).toContain('awaits you in Monaco in 1 hour');
    const earlier = renderMessage('booking_reminder', buildView(summary(), { offset: '24h' }));
    expect(earlier.subject).toBe('In 24 hours: Ferrari Roma, Monaco');
  });

  it('states the refund amount of a cancellation, or that none is due', () => {
    const refunded = renderMessage('booking_cancelled', buildView(summary(), { refundAmount: 122_500 }));
    expect(refunded.html).toContain('<strong>€1,225.00</strong> of the €2,450.00 paid');
    expect(refunded.text).toContain('Refund: €1,225.00 of the €2,450.00 paid');
    const none = renderMessage('booking_cancelled', buildView(summary(), { refundAmount: 0 }));
    expect(none.text).toContain('no refund is due');
    expect(none.text).not.toContain('Refund:');
  });

  it('shows a modification beside the booking it replaces', () => {
    const message = renderMessage('booking_modified', buildView(summary(), { previous: extras.previous }));
    expect(message.text).toContain(
      'This replaces your earlier booking from Saturday 20 June 2026, 10:00 CEST',
    );
    expect(message.text).toContain('€1,800.00');
  });

  it('greets a guest without a name politely', () => {
    const message = renderMessage('hold_expired', buildView(summary({ guest: undefined })));
    expect(message.text).toContain('Dear guest,');
  });

  it('leaves no blank-line runs or trailing spaces in the text part', () => {
    for (const template of NOTIFICATION_TEMPLATES) {
      const { text } = renderMessage(template, buildView(summary(), {}));
      expect(text).not.toMatch(/\n\n\n/);
      expect(text).not.toMatch(/[ \t]\n/);
    }
  });
});

describe('the calendar conflict message to staff', () => {
  const conflict = {
    calendarId: 'midas-cars@group.calendar.google.com',
    start: '2026-07-01T10:00:00Z',
    end: '2026-07-01T14:00:00Z',
    summary: 'Annual <service>',
  };

  it('names the outside event, its calendar and its local times beside the booking it overlaps', () => {
    const { subject, html, text } = renderMessage(
      'staff_calendar_conflict',
      buildView(summary(), { conflict, staffName: 'Marie Curie' }),
    );
    expect(subject).toBe('Calendar conflict: Ferrari Roma, Monaco, 1 Jul 2026');
    expect(text).toContain('Dear Marie,');
    expect(text).toContain(
      'Someone put "Annual <service>" in the calendar of Ferrari Roma (midas-cars@group.calendar.google.com), from Wednesday 1 July 2026, 12:00 CEST to Wednesday 1 July 2026, 16:00 CEST.',
    );
    expect(text).toContain('Alex Martin, alex@example.com');
    expect(text).toContain('PATCH /v1/bookings/3f1c2a9e-1111-4222-8333-444455556666');
    expect(html).toContain('<strong>Annual &lt;service&gt;</strong>');
    expect(html).not.toContain('<service>');
  });

  it('shows winter time for an event after clocks went back, and a blank title as untitled', () => {
    const { text } = renderMessage(
      'staff_calendar_conflict',
      buildView(summary(), {
        conflict: { ...conflict, start: '2026-10-25T00:30:00Z', end: '2026-10-25T02:30:00Z', summary: '  ' },
      }),
    );
    expect(text).toContain('Someone put "an untitled event"');
    expect(text).toContain('from Sunday 25 October 2026, 02:30 CEST to Sunday 25 October 2026, 03:30 CET');
    expect(text).toContain('Dear team,');
  });
});

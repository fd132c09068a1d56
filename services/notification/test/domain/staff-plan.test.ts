import fc from 'fast-check';
import { BOOKING_STATUSES } from '@midas/contracts';
import { planStaffMessages, STAFF_MESSAGE_STATUSES } from '../../src/domain/staff-plan';
import { summary } from './fixtures';

const anna = { id: 'anna', name: 'Anna Rossi', email: 'anna@midas.test' };
const bruno = { id: 'bruno', name: 'Bruno Neri', email: 'bruno@midas.test' };
const staff = { adminEmails: ['ops@midas.test'] };
const assigned = summary({ status: 'concierge_assigned', conciergeId: 'anna' });

describe('staff messages', () => {
  it('writes to the concierge a booking is assigned to, greeting them by first name', () => {
    const [m, ...rest] = planStaffMessages(
      {
        type: 'booking.status_changed',
        data: { ...assigned, from: 'confirmed', to: 'concierge_assigned', actor: 'system', concierge: anna },
      },
      staff,
    );
    expect(rest).toEqual([]);
    expect(m).toMatchObject({ template: 'staff_concierge_assigned', to: 'anna@midas.test' });
    expect(m!.view.staffName).toBe('Anna');
  });

  it('tells the new concierge and the old one on a reassignment, and nobody twice', () => {
    const planned = planStaffMessages(
      {
        type: 'booking.reassigned',
        data: {
          ...assigned,
          conciergeId: 'bruno',
          previousConciergeId: 'anna',
          actor: 'admin:a',
          concierge: bruno,
          previousConcierge: anna,
        },
      },
      staff,
    );
    expect(planned.map((m) => [m.template, m.to])).toEqual([
      ['staff_concierge_assigned', 'bruno@midas.test'],
      ['staff_concierge_released', 'anna@midas.test'],
    ]);
  });

  it('tells the concierge of a change or cancellation only when the booking had one', () => {
    const previous = { start: assigned.start, end: assigned.end, total: 1 };
    expect(
      planStaffMessages(
        { type: 'booking.modified', data: { ...assigned, previous, actor: 'c', concierge: anna } },
        staff,
      ),
    ).toMatchObject([{ template: 'staff_booking_modified', to: 'anna@midas.test' }]);
    const unassigned = summary({ status: 'confirmed' });
    expect(
      planStaffMessages({ type: 'booking.modified', data: { ...unassigned, previous, actor: 'c' } }, staff),
    ).toEqual([]);
    expect(
      planStaffMessages(
        {
          type: 'booking.status_changed',
          data: { ...assigned, from: 'concierge_assigned', to: 'cancelled', actor: 'c', concierge: anna },
        },
        staff,
      ),
    ).toMatchObject([{ template: 'staff_booking_cancelled', to: 'anna@midas.test' }]);
  });

  it('records a concierge without a usable address as failed, with the reason', () => {
    const [m] = planStaffMessages(
      {
        type: 'booking.status_changed',
        data: {
          ...assigned,
          from: 'confirmed',
          to: 'concierge_assigned',
          actor: 'system',
          concierge: { ...anna, email: 'not an address' },
        },
      },
      staff,
    );
    expect(m).toMatchObject({ to: null, missingRecipient: 'the concierge has no email address to write to' });
  });

  it('sends every payment failure to the admins', () => {
    expect(
      planStaffMessages(
        { type: 'payment.failed', data: { ...summary(), provider: 'paypal', reason: 'x' } },
        staff,
      ),
    ).toMatchObject([{ template: 'staff_payment_failed', to: 'ops@midas.test' }]);
  });

  it('gives any status change at most one staff message, only ever to the concierge it carries', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...BOOKING_STATUSES),
        fc.constantFrom(...BOOKING_STATUSES),
        fc.option(fc.constant(anna), { nil: undefined }),
        (from, to, concierge) => {
          const planned = planStaffMessages(
            {
              type: 'booking.status_changed',
              data: { ...assigned, from, to, actor: 'x', ...(concierge ? { concierge } : {}) },
            },
            staff,
          );
          expect(planned.length).toBeLessThanOrEqual(1);
          for (const m of planned) expect(m.to).toBe('anna@midas.test');
          if (!concierge || from === to) expect(planned).toEqual([]);
        },
      ),
    );
  });

  it('writes to staff only on the status changes the consumer binds (STAFF_MESSAGE_STATUSES)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...BOOKING_STATUSES),
        fc.constantFrom(...BOOKING_STATUSES),
        fc.option(fc.constant('anna'), { nil: undefined }),
        (from, to, conciergeId) => {
          const planned = planStaffMessages(
            {
              type: 'booking.status_changed',
              data: { ...assigned, status: to, conciergeId, from, to, actor: 'system', concierge: anna },
            },
            staff,
          );
          if (planned.length > 0) expect(STAFF_MESSAGE_STATUSES).toContain(to);
        },
      ),
    );
  });
});

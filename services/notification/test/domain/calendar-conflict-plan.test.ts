import fc from 'fast-check';
import { planStaffMessages, NO_ADMINS_ERROR } from '../../src/domain/staff-plan';
import { summary } from './fixtures';

const conflict = {
  calendarId: 'fleet@group.calendar.google.com',
  googleEventId: 'ext1',
  start: '2026-07-01T10:00:00Z',
  end: '2026-07-01T14:00:00Z',
  summary: 'Owner trip',
};
const admins = { adminEmails: ['ops@midas.test', 'owner@midas.test'] };

function calendarConflict(concierge?: { id: string; name: string; email: string }) {
  return {
    type: 'booking.calendar_conflict' as const,
    data: { ...summary(), conflict, ...(concierge ? { concierge } : {}) },
  };
}

describe('planStaffMessages for a calendar conflict', () => {
  it("writes to the booking's concierge, greeting them by first name", () => {
    const [message, ...rest] = planStaffMessages(
      calendarConflict({ id: 'c1', name: 'Marie Curie', email: 'marie@midas.test' }),
      admins,
    );
    expect(rest).toEqual([]);
    expect(message).toMatchObject({
      template: 'staff_calendar_conflict',
      to: 'marie@midas.test',
      bookingId: summary().bookingId,
    });
    expect(message!.view.staffName).toBe('Marie');
    expect(message!.view.conflict).toMatchObject({ title: 'Owner trip', calendarId: conflict.calendarId });
    expect(message!.missingRecipient).toBeUndefined();
  });

  it('writes to all admins in one message when the booking has no concierge', () => {
    const [message] = planStaffMessages(calendarConflict(), admins);
    expect(message).toMatchObject({ to: 'ops@midas.test, owner@midas.test' });
    expect(message!.view.staffName).toBe('team');
  });

  it('falls back to the admins for any concierge address that cannot be written to', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('', 'not-an-address', 'a@b.co, evil@x.io', 'x@y.z\nBcc: evil@x.io', '<a@b.co>'),
        (email) => {
          const [message] = planStaffMessages(calendarConflict({ id: 'c1', name: 'Marie', email }), admins);
          expect(message!.to).toBe('ops@midas.test, owner@midas.test');
        },
      ),
    );
  });

  it('keeps the message, with the reason, when there is neither a concierge nor an admin address', () => {
    const [message] = planStaffMessages(calendarConflict(), { adminEmails: [] });
    expect(message).toMatchObject({ to: null, missingRecipient: NO_ADMINS_ERROR });
  });
});

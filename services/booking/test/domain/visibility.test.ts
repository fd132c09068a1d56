import fc from 'fast-check';
import { relationOf, type Viewer } from '../../src/domain';

const booking = { customerId: 'cust-1', conciergeId: 'conc-1', location: 'monaco' };

describe('booking visibility', () => {
  it('shows a booking to its owner, the token holder, the assigned concierge, the location and admins', () => {
    expect(relationOf(booking, { role: 'customer', sub: 'cust-1' }, false)).toBe('owner');
    expect(relationOf(booking, { role: 'guest' }, true)).toBe('owner');
    expect(relationOf(booking, { role: 'concierge', sub: 'conc-1', location: 'paris' }, false)).toBe(
      'assigned',
    );
    expect(relationOf(booking, { role: 'concierge', sub: 'conc-2', location: 'monaco' }, false)).toBe(
      'location',
    );
    expect(relationOf(booking, { role: 'admin', sub: 'a' }, false)).toBe('admin');
    expect(relationOf(booking, { role: 'super_admin', sub: 's' }, false)).toBe('admin');
  });

  it('hides it from every other customer, guest and concierge', () => {
    const viewer = fc.record<Viewer>({
      role: fc.constantFrom('guest', 'customer', 'concierge'),
      sub: fc.option(
        fc.string({ minLength: 1 }).filter((s) => s !== 'cust-1' && s !== 'conc-1'),
        { nil: undefined },
      ),
      location: fc.option(fc.constantFrom('paris', 'dubai'), { nil: undefined }),
    });
    fc.assert(
      fc.property(viewer, (v) => {
        expect(relationOf(booking, v, false)).toBeUndefined();
      }),
    );
  });
});

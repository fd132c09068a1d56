import fc from 'fast-check';
import { actsOnItem } from '../../src/domain/staff-scope';

describe('actsOnItem', () => {
  it('admits admins everywhere and concierges at their own location only', () => {
    expect(actsOnItem({ admin: true, concierge: false }, 'Monaco')).toBe(true);
    expect(actsOnItem({ admin: false, concierge: true, location: 'Monaco' }, 'Monaco')).toBe(true);
    expect(actsOnItem({ admin: false, concierge: true, location: 'Dubai' }, 'Monaco')).toBe(false);
    expect(actsOnItem({ admin: false, concierge: false, location: 'Monaco' }, 'Monaco')).toBe(false);
  });

  it('fails closed for a concierge without a location, whatever the item', () => {
    fc.assert(fc.property(fc.string(), (where) => !actsOnItem({ admin: false, concierge: true }, where)));
  });
});

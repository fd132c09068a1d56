import fc from 'fast-check';
import { mayReadMessages } from '../../src/domain/staff-scope';

describe('mayReadMessages', () => {
  const scope = { location: 'Monaco', conciergeId: 'c-1' };

  it('admits admins, the assigned concierge and concierges of the location', () => {
    expect(mayReadMessages({ role: 'admin', sub: 'a' }, scope)).toBe(true);
    expect(mayReadMessages({ role: 'super_admin', sub: 'a' }, undefined)).toBe(true);
    expect(mayReadMessages({ role: 'concierge', sub: 'c-1' }, scope)).toBe(true);
    expect(mayReadMessages({ role: 'concierge', sub: 'c-2', location: 'Monaco' }, scope)).toBe(true);
  });

  it('fails closed: no location and no assignment, another location, unknown booking, customers', () => {
    expect(mayReadMessages({ role: 'concierge', sub: 'c-2' }, scope)).toBe(false);
    expect(mayReadMessages({ role: 'concierge', sub: 'c-2', location: 'Dubai' }, scope)).toBe(false);
    expect(mayReadMessages({ role: 'concierge', sub: 'c-1', location: 'Monaco' }, undefined)).toBe(false);
    expect(mayReadMessages({ role: 'customer', sub: 'c-1' }, scope)).toBe(false);
    expect(
      mayReadMessages({ role: 'concierge', sub: 'c-2' }, { location: 'Monaco', conciergeId: null }),
    ).toBe(false);
  });

  it('never admits a concierge who is neither assigned nor of the location', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.option(fc.string(), { nil: undefined }),
        fc.string(),
        (sub, location, where) => {
          fc.pre(sub !== 'c-1' && location !== where);
          return !mayReadMessages(
            { role: 'concierge', sub, location },
            { location: where, conciergeId: 'c-1' },
          );
        },
      ),
    );
  });
});

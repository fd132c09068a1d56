import fc from 'fast-check';
import { chooseConcierge, type ConciergeLoad } from '../../src/domain';

const location = fc.constantFrom('monaco', 'paris', 'dubai');
const concierge = fc
  .record({
    id: fc.uuid(),
    location,
    capacity: fc.integer({ min: 0, max: 5 }),
    activeAssignments: fc.integer({ min: 0, max: 6 }),
  })
  .map((c): ConciergeLoad => c);
const team = fc.uniqueArray(concierge, { selector: (c) => c.id, maxLength: 12 });
const hasRoom = (c: ConciergeLoad) => c.activeAssignments < c.capacity;

describe('concierge assignment', () => {
  it('picks someone with room at the location when there is one, the least loaded of them', () => {
    fc.assert(
      fc.property(location, team, (loc, concierges) => {
        const local = concierges.filter((c) => c.location === loc && hasRoom(c));
        fc.pre(local.length > 0);
        const choice = chooseConcierge(loc, concierges)!;
        const chosen = concierges.find((c) => c.id === choice.conciergeId)!;
        expect(choice.reason).toBe('least_loaded_at_location');
        expect(chosen.location).toBe(loc);
        expect(hasRoom(chosen)).toBe(true);
        for (const other of local)
          expect(chosen.activeAssignments).toBeLessThanOrEqual(other.activeAssignments);
      }),
    );
  });

  it('falls back to the least loaded elsewhere when the location is full, and to nobody when all are', () => {
    fc.assert(
      fc.property(location, team, (loc, concierges) => {
        fc.pre(!concierges.some((c) => c.location === loc && hasRoom(c)));
        const choice = chooseConcierge(loc, concierges);
        const elsewhere = concierges.filter((c) => c.location !== loc && hasRoom(c));
        if (elsewhere.length === 0) {
          expect(choice).toBeUndefined();
          return;
        }
        const chosen = concierges.find((c) => c.id === choice!.conciergeId)!;
        expect(choice!.reason).toBe('least_loaded_elsewhere');
        for (const other of elsewhere)
          expect(chosen.activeAssignments).toBeLessThanOrEqual(other.activeAssignments);
      }),
    );
  });

  it('chooses the same concierge whatever order the team is listed in', () => {
    fc.assert(
      fc.property(location, team, fc.func(fc.integer()), (loc, concierges, key) => {
        const shuffled = [...concierges].sort((a, b) => key(a.id) - key(b.id));
        expect(chooseConcierge(loc, shuffled)).toEqual(chooseConcierge(loc, concierges));
      }),
    );
  });
});

import fc from 'fast-check';
import { googleEventId, icalUid, isOurGoogleEventId } from '../../src/domain/event-ids';

const kind = fc.constantFrom('booking' as const, 'blackout' as const);

describe('event ids', () => {
  it('gives every booking and blackout a Google id in base32hex that Google accepts and we recognise', () => {
    fc.assert(
      fc.property(kind, fc.uuid(), (k, ref) => {
        const id = googleEventId(k, ref);
        expect(id).toMatch(/^[a-v0-9]{5,1024}$/);
        expect(isOurGoogleEventId(id)).toBe(true);
        expect(googleEventId(k, ref.toUpperCase())).toBe(id);
      }),
    );
  });

  it('never gives two different bookings or blackouts the same Google id or UID', () => {
    fc.assert(
      fc.property(kind, fc.uuid(), kind, fc.uuid(), (k1, r1, k2, r2) => {
        fc.pre(k1 !== k2 || r1.toLowerCase() !== r2.toLowerCase());
        expect(googleEventId(k1, r1)).not.toBe(googleEventId(k2, r2));
        expect(icalUid(k1, r1)).not.toBe(icalUid(k2, r2));
      }),
    );
  });

  it('treats ids Google makes up as external', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-v0-9]{5,40}$/), (id) => {
        fc.pre(!id.startsWith('midasb'));
        expect(isOurGoogleEventId(id)).toBe(false);
      }),
    );
  });
});

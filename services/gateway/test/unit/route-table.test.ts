import { upstreamFor } from '../../src/route-table';

describe('which service answers a public path', () => {
  it('sends an item to availability but its imported feeds to calendar', () => {
    const id = '0b5f4a8e-3c1d-4f7a-9e2b-6d8c1a2b3c4d';
    expect(upstreamFor(`/v1/items/${id}`)).toBe('availability');
    expect(upstreamFor(`/v1/items/${id}/blackouts`)).toBe('availability');
    expect(upstreamFor('/v1/items')).toBe('availability');
    expect(upstreamFor(`/v1/items/${id}/feeds`)).toBe('calendar');
    expect(upstreamFor(`/v1/items/${id}/feeds/${id}`)).toBe('calendar');
    expect(upstreamFor(`/v1/items/${id}/feeds/${id}/fetch`)).toBe('calendar');
    expect(upstreamFor(`/v1/items/${id}/feedsx`)).toBe('availability');
    expect(upstreamFor('/v1/calendar/status')).toBe('calendar');
    expect(upstreamFor('/v2/items')).toBeUndefined();
  });
});

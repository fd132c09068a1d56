import { ValidationFailed } from '@midas/contracts';
import { selectAddOns, type AddOnOffer } from '../../src/domain/add-on-selection';

const offers: AddOnOffer[] = [
  {
    code: 'chef',
    name: 'Private chef',
    pricing: 'per_guest',
    amount: 25_000,
    currency: 'EUR',
    maxQuantity: 12,
  },
  { code: 'crew', name: 'Extra crew', pricing: 'per_unit', amount: 5_000, currency: 'USD', maxQuantity: 4 },
];

function fieldsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationFailed) return err.errors.map((e) => e.field);
    throw err;
  }
  throw new Error('expected a ValidationFailed');
}

describe('add-on selection', () => {
  it('prices a known add-on with quantity 1 by default', () => {
    expect(selectAddOns([{ code: 'chef' }], offers, 'EUR')).toEqual([
      { code: 'chef', name: 'Private chef', pricing: 'per_guest', amount: 25_000, quantity: 1 },
    ]);
  });

  it('names each unknown, repeated or excessive add-on', () => {
    expect(
      fieldsOf(() => selectAddOns([{ code: 'helicopter' }, { code: 'chef', quantity: 13 }], offers, 'EUR')),
    ).toEqual(['addOns.0.code', 'addOns.1.quantity']);
    expect(fieldsOf(() => selectAddOns([{ code: 'chef' }, { code: 'chef' }], offers, 'EUR'))).toEqual([
      'addOns.1.code',
    ]);
  });

  it('does not offer an add-on priced in another currency than the item', () => {
    expect(fieldsOf(() => selectAddOns([{ code: 'crew' }], offers, 'EUR'))).toEqual(['addOns.0.code']);
  });
});

/** Matches the add-ons a customer asks for against those offered for the item, refusing unknown or excessive ones. */
import { ValidationFailed, type FieldError } from '@midas/contracts';
import type { AddOnChoice, AddOnPricing } from './stay-price';

export interface AddOnOffer {
  code: string;
  name: string;
  pricing: AddOnPricing;
  amount: number;
  currency: string;
  maxQuantity: number;
}

export interface AddOnRequest {
  code: string;
  quantity?: number;
}

export function selectAddOns(
  requested: readonly AddOnRequest[],
  offers: readonly AddOnOffer[],
  currency: string,
): AddOnChoice[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const choices: AddOnChoice[] = [];
  requested.forEach((req, i) => {
    const field = `addOns.${i}`;
    if (seen.has(req.code)) {
      errors.push({
        field: `${field}.code`,
        message: `"${req.code}" is asked for twice; use quantity instead`,
        in: 'body',
      });
      return;
    }
    seen.add(req.code);
    // An add-on priced in another currency cannot be added to this item's bill, so it is not on offer here.
    const offer = offers.find((o) => o.code === req.code && o.currency === currency);
    if (!offer) {
      errors.push({
        field: `${field}.code`,
        message: `"${req.code}" is not an add-on offered for this item`,
        in: 'body',
      });
      return;
    }
    const quantity = req.quantity ?? 1;
    if (quantity > offer.maxQuantity) {
      errors.push({
        field: `${field}.quantity`,
        message: `must be at most ${offer.maxQuantity} for ${offer.code}`,
        in: 'body',
      });
      return;
    }
    choices.push({
      code: offer.code,
      name: offer.name,
      pricing: offer.pricing,
      amount: offer.amount,
      quantity,
    });
  });
  if (errors.length)
    throw new ValidationFailed(`Invalid add-ons: ${errors.map((e) => e.field).join(', ')}`, errors);
  return choices;
}

/**
 * The payment providers this booking service offers, side by side: each booking names one
 * (`paymentProvider` on POST /v1/bookings, else the default) and every later charge, refund and
 * deposit of that booking goes to the provider its payment rows name.
 */
import { ValidationFailed } from '@midas/contracts';
import type { PaymentProvider } from './payment-provider';

export class PaymentProviders {
  private readonly byName: ReadonlyMap<string, PaymentProvider>;

  /** The first provider is the default for bookings that do not name one. */
  constructor(providers: readonly PaymentProvider[]) {
    if (providers.length === 0) throw new Error('at least one payment provider is needed');
    this.byName = new Map(providers.map((p) => [p.name, p]));
    this.default = providers[0]!;
  }

  readonly default: PaymentProvider;

  /** Provider names in order, the default first. */
  get offered(): string[] {
    return [...this.byName.keys()];
  }

  find(name: string): PaymentProvider | undefined {
    return this.byName.get(name);
  }

  /**
   * The provider a stored payment or booking names. One no longer configured is a deployment
   * mistake (its keys were removed while its bookings still hold money there), not bad input.
   */
  get(name: string): PaymentProvider {
    const provider = this.byName.get(name);
    if (!provider) throw new Error(`payment provider ${name} is not configured`);
    return provider;
  }

  /** The provider a new booking asked for, or the default; one not configured is a 400. */
  choose(requested: string | undefined): PaymentProvider {
    if (requested === undefined) return this.default;
    const provider = this.byName.get(requested);
    if (provider) return provider;
    const message = `${requested} is not offered here; choose one of ${this.offered.join(', ')}`;
    throw new ValidationFailed(`Invalid body: paymentProvider ${message}`, [
      { field: 'paymentProvider', message, in: 'body' },
    ]);
  }
}

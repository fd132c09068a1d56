/** Keeps pricing's item copy in step with availability's `item.created` / `item.updated` events. */
import { availabilityEvents } from '@midas/contracts';
import type { Broker, Consumer } from '@midas/messaging';
import type { Pool } from '@midas/db';
import { recordItem } from '../../flows/record-item';

/**
 * An unpriceable item (unknown currency or zone) makes the handler throw, so after its retries the
 * event lands in the dead-letter queue where an operator sees it.
 */
export function consumeItemEvents(broker: Broker, pool: Pool): Promise<Consumer> {
  return broker.consume({
    purpose: 'item-events',
    pool,
    schema: 'pricing',
    handlers: {
      'item.created': {
        schema: availabilityEvents['item.created'],
        handle: (item, tx, envelope) => recordItem(tx, item, new Date(envelope.occurredAt)),
      },
      'item.updated': {
        schema: availabilityEvents['item.updated'],
        handle: (item, tx, envelope) => recordItem(tx, item, new Date(envelope.occurredAt)),
      },
    },
  });
}

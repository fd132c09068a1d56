/** RPC asks answered by the booking service, which owns customers' loyalty standing. */
import { z } from 'zod';
import { tier } from './pricing';

export const bookingRpc = {
  /**
   * A customer's loyalty standing as booking holds it now, so a public quote prices them exactly
   * as their booking will be priced. A customer booking has never seen is `standard` with no points.
   */
  loyalty: {
    method: 'booking.loyalty',
    request: z.object({ customerId: z.string().min(1).max(200) }),
    response: z.object({ tier, points: z.number().int().min(0) }),
  },
} as const;

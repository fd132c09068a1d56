/** A subscription URL as typed by an admin: refused with a 400 naming the reason when the SSRF guard would refuse it. */
import { ValidationFailed } from '@midas/contracts';
import { AddressRefused, checkOutboundUrl } from '@midas/http';
import type { FlowContext } from './context';

export async function validateUrl(ctx: FlowContext, url: string): Promise<void> {
  try {
    await checkOutboundUrl(url, ctx.allowPrivate);
  } catch (err) {
    if (!(err instanceof AddressRefused)) throw err;
    throw new ValidationFailed('Invalid body: url', [{ field: 'url', message: err.message, in: 'body' }]);
  }
}

/** The periodic `renew` job: opens a new push channel for every one that lapses within a day. */
import { listExpiringChannels } from '../db/links';
import type { FlowContext } from './context';
import { openChannel } from './open-channel';

const RENEW_AHEAD_MS = 24 * 3600 * 1000;

export async function renewChannels(ctx: FlowContext): Promise<number> {
  if (!ctx.google || !ctx.webhookUrl) return 0;
  const expiring = await listExpiringChannels(ctx.db, new Date(ctx.now().getTime() + RENEW_AHEAD_MS));
  let renewed = 0;
  for (const channel of expiring) {
    if (await openChannel(ctx, channel.itemId, channel.calendarId)) renewed += 1;
  }
  return renewed;
}

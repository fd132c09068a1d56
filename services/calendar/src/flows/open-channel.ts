/**
 * Opens a Google push channel (events.watch) on an item's calendar and replaces the previous one.
 * Without sync or a notification address there is nothing to open; a refusal is logged, and the
 * renewal job tries again later.
 */
import { randomUUID } from 'node:crypto';
import { readActiveChannel, saveChannel, type ChannelRow } from '../db/links';
import { googleErrorText } from '../google/google-calendar';
import type { FlowContext } from './context';
import { hashToken, newToken } from './feed-token';

export async function openChannel(
  ctx: FlowContext,
  itemId: string,
  calendarId: string,
): Promise<ChannelRow | null> {
  if (!ctx.google || !ctx.webhookUrl) return null;
  const previous = await readActiveChannel(ctx.db, itemId);
  const id = randomUUID();
  const token = newToken();
  try {
    const opened = await ctx.google.watch(calendarId, {
      id,
      token,
      address: ctx.webhookUrl,
      ttlSeconds: ctx.channelTtlSeconds,
    });
    const row = { id, itemId, calendarId, tokenHash: hashToken(token), ...opened };
    await ctx.db.transaction((tx) => saveChannel(tx, row));
    if (previous?.resourceId) {
      await ctx.google
        .stopChannel(previous.id, previous.resourceId)
        .catch((err: unknown) =>
          ctx.logger.warn(
            { channelId: previous.id, err: googleErrorText(err) },
            'could not stop the old channel',
          ),
        );
    }
    ctx.logger.info({ itemId, channelId: id, expiresAt: opened.expiresAt }, 'watching calendar');
    return { ...row, stoppedAt: null };
  } catch (err) {
    ctx.logger.warn({ itemId, err: googleErrorText(err) }, 'could not watch the calendar');
    return null;
  }
}

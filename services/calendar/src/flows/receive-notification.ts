/**
 * A Google push notification: the channel token is checked against the stored hash; `exists`
 * (something changed) queues a read of the calendar's changes, `sync` is the channel's handshake.
 */
import { Forbidden, Unauthenticated } from '@midas/contracts';
import { readChannel } from '../db/links';
import type { FlowContext } from './context';
import { tokenMatches } from './feed-token';

export interface Notification {
  channelId: string;
  token: string | undefined;
  state: 'sync' | 'exists' | 'not_exists';
  messageNumber: string | undefined;
}

export type NotificationOutcome = 'queued' | 'handshake' | 'stopped' | 'sync_off';

export async function receiveNotification(ctx: FlowContext, n: Notification): Promise<NotificationOutcome> {
  if (!n.token) throw new Unauthenticated('The X-Goog-Channel-Token header is required');
  const channel = await readChannel(ctx.db, n.channelId);
  if (!channel || !tokenMatches(n.token, channel.tokenHash)) {
    throw new Forbidden('Unknown channel or wrong channel token');
  }
  if (channel.stoppedAt) return 'stopped';
  if (n.state === 'sync') return 'handshake';
  if (!ctx.google) return 'sync_off';
  await ctx.queue.enqueuePull({ itemId: channel.itemId, channelId: channel.id }, n.messageNumber);
  return 'queued';
}

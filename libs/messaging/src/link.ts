/**
 * What a consumer, an RPC server or the RPC client needs from the connection that carries it.
 * The Broker implements it; the parts take this interface, not the Broker, so none of them
 * imports the module that creates them.
 */
import type { Channel, ChannelModel, Options } from 'amqplib';
import type { Logger } from '@midas/observability';
import type { MessagingMetrics } from './metrics';
import type { Names } from './topology';

/** Something that lives on its own channel and must be re-opened after every reconnect. */
export interface Attachment {
  name: string;
  open: (connection: ChannelModel) => Promise<Channel>;
  /** Called when its channel is gone (closed by the broker or with the connection). */
  lost?: () => void;
}

/** A message for `publishConfirmed`. */
export interface OutgoingMessage {
  exchange: string;
  routingKey: string;
  content: Buffer;
  options: Options.Publish;
}

/** Something the broker stops on close until it says it is done. */
export interface Stoppable {
  stop(): Promise<void>;
}

export interface BrokerLink {
  readonly names: Names;
  readonly service: string;
  readonly logger: Logger;
  readonly metrics: MessagingMetrics | undefined;
  /** Opens the attachment's channel now (if connected) and again after every reconnect. */
  attach(attachment: Attachment): Promise<void>;
  detach(attachment: Attachment): Promise<void>;
  /** Drops a stopped consumer or RPC server from those the broker stops on close. */
  forget(item: Stoppable): void;
  /** A channel with its error listener attached before first use. */
  openChannel(connection: ChannelModel, part: string): Promise<Channel>;
  /** Publishes and resolves once the broker confirmed every message. */
  publishConfirmed(messages: OutgoingMessage[], timeoutMs?: number): Promise<void>;
}

/** An error's message, or the thrown value as text. */
export function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Sets up a channel just opened; closes it if that fails, so no half-ready channel stays open. */
export async function setUpChannel(channel: Channel, setUp: () => Promise<void>): Promise<Channel> {
  try {
    await setUp();
    return channel;
  } catch (err) {
    await channel.close().catch(() => undefined);
    throw err;
  }
}

/** Work started for each message received, awaited on stop; a failure nothing handled is logged. */
export class InFlight {
  private readonly work = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  track(work: Promise<void>): void {
    this.work.add(work);
    void work
      .catch((err: unknown) =>
        this.logger.error({ err: describe(err) }, 'message handling failed unexpectedly'),
      )
      .finally(() => this.work.delete(work));
  }

  settled(): Promise<unknown> {
    return Promise.allSettled([...this.work]);
  }
}

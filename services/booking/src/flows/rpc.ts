/** The RPC side of the broker (`broker.call`), so flows ask availability and pricing over RabbitMQ. */
import type { RpcDefinition } from '@midas/messaging';
import type { z } from 'zod';

export interface Rpc {
  call<Req extends z.ZodType, Res extends z.ZodType>(
    def: RpcDefinition<Req, Res>,
    request: z.input<Req>,
    options?: { timeoutMs?: number },
  ): Promise<z.output<Res>>;
}

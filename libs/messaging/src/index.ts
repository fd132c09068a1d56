export { Broker, type BrokerOptions } from './broker';
export {
  Consumer,
  DEAD_LETTER_REASON,
  DEAD_LETTER_ATTEMPTS,
  type ConsumerOptions,
  type ConsumerStats,
  type EventHandler,
} from './consumer';
export type { BatchOptions } from './batch';
export { RpcServer, type RpcDefinition, type RpcHandler, type RpcMeta } from './rpc-server';
export type { CallOptions } from './rpc-client';
export { RpcRemoteError } from './errors';
export {
  enqueueEvent,
  enqueueEvents,
  knownEvents,
  type KnownEventType,
  type NewEvent,
  type EventData,
} from './outbox';
export { OutboxRelay, type OutboxRelayOptions } from './outbox-relay';
export { messagingMigrationsFolder, migrateMessaging, OUTBOX_CHANNEL } from './migrations';
export { envelopeSchema, traceHeaders, contextFromHeaders, type Envelope } from './envelope';
export { topologyNames, type Names } from './topology';
export {
  listDeadLetterQueues,
  showDeadLetters,
  replayDeadLetters,
  deadLetterQueueName,
  type DeadLetter,
  type DeadLetterQueue,
} from './dead-letters';

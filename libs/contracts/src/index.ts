export * from './errors';
export * from './api/route';
export * from './rpc/availability';
export * from './rpc/pricing';
export * from './api/pricing';
export * from './events/availability';
export * from './events/booking';

export * from './app';
export * from './auth';
export * from './client-address';
export * from './health';
export * from './lifecycle';
export * from './pagination';
export * from './problem';
export * from './validate';

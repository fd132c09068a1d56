/** Pure booking rules: lifecycle, parties, money settlement, loyalty, concierge choice, modifications. */
export * from './lifecycle';
export * from './party';
export * from './settlement';
export * from './loyalty';
export * from './concierge-assignment';
export * from './modification';
export * from './visibility';
export * from './deposit';
export * from './refund-repair';
export * from './erasure';

export * from './lib/order';
export * from './lib/events';
export * from './lib/validate-order';

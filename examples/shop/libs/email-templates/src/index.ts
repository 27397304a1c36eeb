export * from './lib/order-confirmation';
export type { Email } from './lib/email';

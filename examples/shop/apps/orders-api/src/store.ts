import type { Order } from '@shop/orders-contracts';

/** In-memory order store; a real service would use a database. */
export const orders = new Map<string, Order>();

import type { Order } from './order';

export const ORDER_PLACED = 'order.placed' as const;
export const ORDER_REFUNDED = 'order.refunded' as const;

export interface OrderPlacedEvent {
  type: typeof ORDER_PLACED;
  order: Order;
}

export interface OrderRefundedEvent {
  type: typeof ORDER_REFUNDED;
  orderId: string;
  reason: string;
}

export type OrderEvent = OrderPlacedEvent | OrderRefundedEvent;

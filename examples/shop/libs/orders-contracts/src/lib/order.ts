import type { Money } from '@shop/money';

// Shared between orders-api and email-worker: change it only in a backward-compatible way
// (add an optional field first, remove the old one after every consumer has moved).
export type OrderStatus = 'placed' | 'paid' | 'shipped' | 'refunded';

export interface OrderLine {
  sku: string;
  quantity: number;
  unitPrice: Money;
}

export interface Order {
  id: string;
  customerEmail: string;
  status: OrderStatus;
  lines: OrderLine[];
  placedAt: string;
}

export interface PlaceOrderInput {
  customerEmail: string;
  lines: OrderLine[];
}

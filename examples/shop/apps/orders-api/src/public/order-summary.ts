import { addMoney, formatMoney, money } from '@shop/money';
import type { Order, OrderStatus } from '@shop/orders-contracts';

/** What the API returns for an order; the storefront imports this file directly. */
export interface OrderSummary {
  id: string;
  status: OrderStatus;
  itemCount: number;
  total: string;
}

export function summarizeOrder(order: Order): OrderSummary {
  const total = order.lines.reduce(
    (sum, line) => addMoney(sum, { ...line.unitPrice, amount: line.unitPrice.amount * line.quantity }),
    money(0, order.lines[0]?.unitPrice.currency),
  );
  return {
    id: order.id,
    status: order.status,
    itemCount: order.lines.reduce((count, line) => count + line.quantity, 0),
    total: formatMoney(total),
  };
}

export function statusLabel(status: OrderStatus): string {
  return { placed: 'Order placed', paid: 'Paid', shipped: 'On its way', refunded: 'Refunded' }[status];
}

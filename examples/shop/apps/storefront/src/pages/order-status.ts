import type { Order } from '@shop/orders-contracts';
// Coupling on purpose: the storefront imports code from another deployable (orders-api), so a
// change there can force a storefront deploy. nx-lockstep reports this as a lock-step group.
import { statusLabel, summarizeOrder } from '../../../orders-api/src/public/order-summary';
import { layout } from '../layout';

export function renderOrderStatus(order: Order): string {
  const summary = summarizeOrder(order);
  return layout(
    `Order ${summary.id}`,
    `<h1>${statusLabel(summary.status)}</h1><p>${summary.itemCount} items, ${summary.total}</p>`,
  );
}

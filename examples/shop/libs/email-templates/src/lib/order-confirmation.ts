import { addMoney, formatMoney, money } from '@shop/money';
import type { Order } from '@shop/orders-contracts';
import { formatDate } from '@shop/shared-utils';
import type { Email } from './email';

export function orderConfirmationEmail(order: Order): Email {
  const total = order.lines.reduce(
    (sum, line) => addMoney(sum, { ...line.unitPrice, amount: line.unitPrice.amount * line.quantity }),
    money(0, order.lines[0]?.unitPrice.currency),
  );
  const lines = order.lines.map((line) => `  ${line.quantity} × ${line.sku}  ${formatMoney(line.unitPrice)}`);
  return {
    to: order.customerEmail,
    subject: `Your order ${order.id}`,
    text: [`Thank you for your order of ${formatDate(new Date(order.placedAt))}.`, ...lines, `Total: ${formatMoney(total)}`].join('\n'),
  };
}

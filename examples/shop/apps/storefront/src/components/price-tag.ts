import { formatMoney, type Money } from '@shop/money';

export function priceTag(price: Money): string {
  return `<span class="price">${formatMoney(price)}</span>`;
}

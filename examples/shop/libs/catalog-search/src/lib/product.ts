import type { Money } from '@shop/money';

export interface Product {
  sku: string;
  name: string;
  description: string;
  price: Money;
}

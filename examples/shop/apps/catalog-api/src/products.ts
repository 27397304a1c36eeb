import type { Product } from '@shop/catalog-search';
import { money } from '@shop/money';

export const products: Product[] = [
  { sku: 'mug-blue', name: 'Blue mug', description: 'Stoneware mug, 350 ml', price: money(900) },
  { sku: 'cap-blue', name: 'Blue cap', description: 'Cotton cap', price: money(1500) },
  { sku: 'tee-logo', name: 'Logo tee', description: 'Organic cotton T-shirt', price: money(2400) },
];

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { searchProducts } from './search';

test('finds products by every term', () => {
  const mug = { sku: 'mug', name: 'Blue mug', description: 'Stoneware', price: { amount: 900, currency: 'EUR' as const } };
  const cap = { sku: 'cap', name: 'Blue cap', description: 'Cotton', price: { amount: 1500, currency: 'EUR' as const } };
  assert.deepEqual(searchProducts([mug, cap], 'blue mug'), [mug]);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validatePlaceOrder } from './validate-order';

test('rejects an order without lines', () => {
  assert.throws(() => validatePlaceOrder({ customerEmail: 'ada@example.com', lines: [] }), /lines/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addMoney, formatMoney, money } from './money';

test('adds amounts of one currency', () => {
  assert.deepEqual(addMoney(money(150), money(250)), money(400));
});

test('formats minor units', () => {
  assert.equal(formatMoney(money(1999, 'USD')), '$19.99');
});

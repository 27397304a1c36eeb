import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, formatDate } from './date';

test('formatDate prints the UTC calendar day', () => {
  assert.equal(formatDate(new Date(Date.UTC(2026, 10, 26))), '2026-11-26');
});

test('addDays crosses month ends', () => {
  assert.equal(addDays(new Date(Date.UTC(2026, 0, 31)), 1).getUTCMonth(), 1);
});

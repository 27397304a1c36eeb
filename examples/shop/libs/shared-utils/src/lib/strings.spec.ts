import { test } from 'node:test';
import assert from 'node:assert/strict';
import { slugify, truncate } from './strings';

test('slugify keeps letters and digits only', () => {
  assert.equal(slugify('  Blue Mug (350 ml) '), 'blue-mug-350-ml');
});

test('truncate adds an ellipsis', () => {
  assert.equal(truncate('storefront', 6), 'store…');
});

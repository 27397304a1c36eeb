import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '@shop/shared-logger';
import { renderHome } from './pages/home';
import { renderOrderStatus } from './pages/order-status';

// The storefront is a static site: `node main.js <outDir>` renders its pages to HTML files.
const outDir = process.argv[2] ?? 'public';
const pages: Record<string, string> = {
  'index.html': renderHome(),
  'order.html': renderOrderStatus({
    id: 'ord_example',
    customerEmail: 'ada@example.com',
    status: 'paid',
    placedAt: '2026-11-26T08:00:00.000Z',
    lines: [{ sku: 'mug-blue', quantity: 2, unitPrice: { amount: 900, currency: 'EUR' } }],
  }),
};

mkdirSync(outDir, { recursive: true });
for (const [file, html] of Object.entries(pages)) writeFileSync(join(outDir, file), html);
createLogger('storefront').info('rendered', { outDir, pages: Object.keys(pages).length });

import { readFile, writeFile } from 'node:fs/promises';
import type { OrderEvent } from '@shop/orders-contracts';
import { handleOrderPlaced } from './handlers/order-placed';

const outboxFile = process.env.OUTBOX_FILE ?? '/tmp/shop-outbox.jsonl';

export async function drainOutbox(): Promise<number> {
  const text = await readFile(outboxFile, 'utf8').catch(() => '');
  const events = text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as OrderEvent);
  for (const event of events) {
    if (event.type === 'order.placed') await handleOrderPlaced(event);
  }
  await writeFile(outboxFile, '');
  return events.length;
}

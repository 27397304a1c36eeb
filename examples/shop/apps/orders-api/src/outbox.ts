import { appendFileSync } from 'node:fs';
import type { OrderEvent } from '@shop/orders-contracts';

const outboxFile = process.env.OUTBOX_FILE ?? '/tmp/shop-outbox.jsonl';

/** Events go to an outbox file that email-worker reads. */
export function publish(event: OrderEvent): void {
  appendFileSync(outboxFile, `${JSON.stringify(event)}\n`);
}

import { createLogger } from '@shop/shared-logger';
import { drainOutbox } from './outbox-reader';

const log = createLogger('email-worker');
const intervalMs = Number(process.env.POLL_INTERVAL_MS ?? 5000);

log.info('polling the order outbox', { intervalMs });
setInterval(() => void drainOutbox().catch((error) => log.error('poll failed', { error: String(error) })), intervalMs);

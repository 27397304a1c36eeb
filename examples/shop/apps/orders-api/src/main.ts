import { createLogger } from '@shop/shared-logger';
import { router } from './routes';

const port = Number(process.env.PORT ?? 3001);
createLogger('orders-api').info('starting', { port });
router.listen(port);

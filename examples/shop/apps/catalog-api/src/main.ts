import { Router } from '@shop/http-kit';
import { createLogger } from '@shop/shared-logger';
import { getProduct, listProducts } from './routes/products';

const port = Number(process.env.PORT ?? 3002);
const router = new Router().add('GET', '/products', listProducts).add('GET', '/products/:sku', getProduct);

createLogger('catalog-api').info('starting', { port });
router.listen(port);

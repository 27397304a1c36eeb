import { Router } from '@shop/http-kit';
import { getOrder, placeOrder } from './orders';

export const router = new Router();

// Routes are registered when the module loads.
router.add('POST', '/orders', placeOrder);
router.add('GET', '/orders/:id', getOrder);

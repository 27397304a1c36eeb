import { readJson, sendJson, type Handler } from '@shop/http-kit';
import { validatePlaceOrder, type Order } from '@shop/orders-contracts';
import { isoTimestamp, newId } from '@shop/shared-utils';
import { publish } from '../outbox';
import { orders } from '../store';
import { summarizeOrder } from '../public/order-summary';

export const placeOrder: Handler = async (request, response) => {
  const input = validatePlaceOrder(await readJson(request));
  const order: Order = { id: newId('ord'), status: 'placed', placedAt: isoTimestamp(), ...input };
  orders.set(order.id, order);
  publish({ type: 'order.placed', order });
  sendJson(response, 201, summarizeOrder(order));
};

export const getOrder: Handler = (_request, response, params) => {
  const order = orders.get(params.id ?? '');
  if (!order) return sendJson(response, 404, { error: `no order ${params.id}` });
  sendJson(response, 200, summarizeOrder(order));
};

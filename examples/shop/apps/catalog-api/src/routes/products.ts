import { searchProducts } from '@shop/catalog-search';
import { sendJson, type Handler } from '@shop/http-kit';
import { products } from '../products';

export const listProducts: Handler = (request, response) => {
  const query = new URL(request.url ?? '/', 'http://localhost').searchParams.get('q');
  sendJson(response, 200, query ? searchProducts(products, query) : products);
};

export const getProduct: Handler = (_request, response, params) => {
  const product = products.find((candidate) => candidate.sku === params.sku);
  if (!product) return sendJson(response, 404, { error: `no product ${params.sku}` });
  sendJson(response, 200, product);
};

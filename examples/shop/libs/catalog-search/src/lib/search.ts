import { slugify } from '@shop/shared-utils';
import type { Product } from './product';

function score(product: Product, terms: string[]): number {
  const haystack = slugify(`${product.name} ${product.description}`);
  return terms.filter((term) => haystack.includes(term)).length;
}

/** Products matching every term of the query, best match first. */
export function searchProducts(products: readonly Product[], query: string): Product[] {
  const terms = slugify(query).split('-').filter(Boolean);
  return products
    .map((product) => ({ product, score: score(product, terms) }))
    .filter((hit) => hit.score === terms.length)
    .sort((a, b) => b.score - a.score || a.product.name.localeCompare(b.product.name))
    .map((hit) => hit.product);
}

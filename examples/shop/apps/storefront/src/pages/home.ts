import { money } from '@shop/money';
import { slugify, truncate } from '@shop/shared-utils';
import { priceTag } from '../components/price-tag';
import { layout } from '../layout';

const featured = [
  { name: 'Blue mug', description: 'Stoneware mug that keeps coffee warm for the whole stand-up', price: money(900) },
  { name: 'Logo tee', description: 'Organic cotton T-shirt with the shop logo', price: money(2400) },
];

export function renderHome(): string {
  const items = featured
    .map((item) => `<li id="${slugify(item.name)}">${item.name} ${priceTag(item.price)}<p>${truncate(item.description, 40)}</p></li>`)
    .join('\n');
  return layout('Home', `<h1>Featured</h1><ul>${items}</ul>`);
}

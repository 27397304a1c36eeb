import { formatDate } from '@shop/shared-utils';

export function banner(today: Date = new Date()): string {
  return `<header class="banner">Free shipping on orders over €50 · ${formatDate(today)}</header>`;
}

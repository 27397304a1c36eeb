import { randomUUID } from 'node:crypto';

export type Id<Prefix extends string> = `${Prefix}_${string}`;

export function newId<Prefix extends string>(prefix: Prefix): Id<Prefix> {
  return `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
}

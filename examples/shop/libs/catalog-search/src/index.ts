export * from './lib/product';
export * from './lib/search';

export * from './lib/router';
export * from './lib/json';

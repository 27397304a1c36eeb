export * from './core/result';

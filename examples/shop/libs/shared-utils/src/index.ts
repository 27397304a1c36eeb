export * from './lib/date';
export * from './lib/ids';
export * from './lib/strings';

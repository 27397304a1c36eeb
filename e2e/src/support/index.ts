export * from './git';
export * from './nx';
export * from './paths';
export * from './plugin';
export * from './run';
export * from './workspace';
export * from './system-tools';
export * from './chromium';

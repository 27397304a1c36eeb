// Importing the logger installs the console sink (a module-level side effect).
import './lib/console-sink';

export * from './lib/logger';
export type { LogLevel, LogRecord, LogSink } from './lib/sinks';
export { registerSink } from './lib/sinks';

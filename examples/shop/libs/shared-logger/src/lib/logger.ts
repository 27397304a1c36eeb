import { isoTimestamp } from '@shop/shared-utils';
import { emit, type LogLevel } from './sinks';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function createLogger(name: string): Logger {
  const log = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) =>
    emit({ level, logger: name, message, at: isoTimestamp(), fields });
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

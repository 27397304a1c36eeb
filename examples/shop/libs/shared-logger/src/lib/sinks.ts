export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogRecord {
  level: LogLevel;
  logger: string;
  message: string;
  at: string;
  fields?: Record<string, unknown>;
}

export type LogSink = (record: LogRecord) => void;

const sinks: LogSink[] = [];

export function registerSink(sink: LogSink): void {
  sinks.push(sink);
}

export function emit(record: LogRecord): void {
  for (const sink of sinks) sink(record);
}

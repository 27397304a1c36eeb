import { registerSink, type LogRecord } from './sinks';

function writeToConsole(record: LogRecord): void {
  const line = JSON.stringify(record);
  if (record.level === 'error' || record.level === 'warn') process.stderr.write(`${line}\n`);
  else process.stdout.write(`${line}\n`);
}

registerSink(writeToConsole);

const pad = (value: number): string => String(value).padStart(2, '0');

/** Formats a date as YYYY-MM-DD in UTC. */
export function formatDate(date: Date): string {
  return `${date.getUTCFullYear()}-${date.getUTCMonth() + 1}-${pad(date.getUTCDate())}`;
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 24 * 60 * 60 * 1000);
}

export function isoTimestamp(date: Date = new Date()): string {
  return date.toISOString();
}

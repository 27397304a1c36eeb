import { currency, type CurrencyCode } from './currency';

/** An amount in minor units (cents), never a float. */
export interface Money {
  amount: number;
  currency: CurrencyCode;
}

export function money(amount: number, code: CurrencyCode = 'EUR'): Money {
  if (!Number.isInteger(amount)) throw new Error(`Money amounts are minor units, got ${amount}`);
  return { amount, currency: code };
}

export function addMoney(a: Money, b: Money): Money {
  if (a.currency !== b.currency) throw new Error(`Cannot add ${a.currency} to ${b.currency}`);
  return { amount: a.amount + b.amount, currency: a.currency };
}

export function formatMoney(value: Money): string {
  const { symbol, minorUnits } = currency(value.currency);
  return `${symbol}${(value.amount / 10 ** minorUnits).toFixed(minorUnits)}`;
}

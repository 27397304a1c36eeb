export type CurrencyCode = 'EUR' | 'USD' | 'GBP';

export interface Currency {
  code: CurrencyCode;
  symbol: string;
  minorUnits: number;
}

const currencies = new Map<CurrencyCode, Currency>();

export function registerCurrency(currency: Currency): void {
  currencies.set(currency.code, currency);
}

export function currency(code: CurrencyCode): Currency {
  const found = currencies.get(code);
  if (!found) throw new Error(`Unknown currency ${code}`);
  return found;
}

// The known currencies are registered when the module loads.
registerCurrency({ code: 'EUR', symbol: '€', minorUnits: 2 });
registerCurrency({ code: 'USD', symbol: '$', minorUnits: 2 });
registerCurrency({ code: 'GBP', symbol: '£', minorUnits: 2 });

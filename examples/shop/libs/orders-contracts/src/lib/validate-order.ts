import type { PlaceOrderInput } from './order';

export function validatePlaceOrder(input: unknown): PlaceOrderInput {
  const candidate = input as Partial<PlaceOrderInput> | null;
  if (!candidate || typeof candidate.customerEmail !== 'string' || !candidate.customerEmail.includes('@')) {
    throw new Error('customerEmail must be an e-mail address, e.g. "ada@example.com"');
  }
  if (!Array.isArray(candidate.lines) || candidate.lines.length === 0) {
    throw new Error('lines must list at least one order line');
  }
  return { customerEmail: candidate.customerEmail, lines: candidate.lines };
}

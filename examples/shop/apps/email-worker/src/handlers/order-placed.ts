import { orderConfirmationEmail } from '@shop/email-templates';
import type { OrderPlacedEvent } from '@shop/orders-contracts';
import { createLogger } from '@shop/shared-logger';
import { sendEmail } from '../mailer';

const log = createLogger('email-worker');

export async function handleOrderPlaced(event: OrderPlacedEvent): Promise<void> {
  const email = orderConfirmationEmail(event.order);
  await sendEmail(email);
  log.info('confirmation sent', { orderId: event.order.id });
}

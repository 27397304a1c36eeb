import type { Email } from '@shop/email-templates';

/** Stands in for an SMTP client: the e-mail is written to stdout. */
export async function sendEmail(email: Email): Promise<void> {
  process.stdout.write(`To: ${email.to}\nSubject: ${email.subject}\n\n${email.text}\n`);
}

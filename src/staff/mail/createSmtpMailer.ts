import nodemailer from 'nodemailer';
import type { Mailer } from './Mailer';

/** Staff mail over SMTP (`SMTP_URL`, e.g. smtps://user:pass@smtp.example.org:465), sent from `MAIL_FROM`. */
export function createSmtpMailer(config: { readonly smtpUrl: string; readonly from: string }): Mailer {
  const transport = nodemailer.createTransport(config.smtpUrl);
  return {
    async send(message) {
      await transport.sendMail({ from: config.from, to: message.to, subject: message.subject, text: message.text });
    },
  };
}

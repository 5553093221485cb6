import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { AppConfig } from '@hips/config';

export interface OutgoingMail {
  /** Also the Message-ID, so a receiver can drop a duplicate after a crash between sending and recording. */
  id: string;
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/**
 * SMTP when SMTP_URL is set; otherwise each message is written as an .eml file under <data dir>/mail that a
 * person can open (named by its id, so writing it again after a crash overwrites rather than duplicates).
 */
export function createMailer(config: Pick<AppConfig, 'smtpUrl' | 'mailFrom' | 'dataDir'>): Mailer {
  const from = config.mailFrom;
  const headers = (mail: OutgoingMail) => ({
    from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    messageId: `<${mail.id}@hips-resolve>`,
  });
  if (config.smtpUrl) {
    const transport = nodemailer.createTransport(config.smtpUrl);
    return {
      async send(mail) {
        await transport.sendMail(headers(mail));
      },
      close: () => transport.close(),
    };
  }
  const folder = join(config.dataDir, 'mail');
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(mail) {
      const info = await transport.sendMail(headers(mail));
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, `${mail.id}.eml`), info.message as Buffer);
    },
    close: () => transport.close(),
  };
}

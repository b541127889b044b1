import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A message as the SMTP server received it: the envelope's recipients, the raw message, and its decoded parts. */
export interface ReceivedMail {
  readonly to: string[];
  readonly raw: string;
  /** The Subject header, RFC 2047 encoded words decoded. */
  readonly subject: string;
  /** The body, its transfer encoding (quoted-printable, base64) decoded as UTF-8. */
  readonly text: string;
}

export interface SmtpFixture {
  /** `smtp://127.0.0.1:<port>`: the SMTP_URL to give the server. */
  readonly url: string;
  /** Every message accepted so far. */
  readonly mails: ReceivedMail[];
  /** While true, every recipient is refused with 550, so the sender's SMTP client fails. */
  refuse: boolean;
  /** Waits (up to 5 s) until `count` messages have arrived; returns all of them. */
  waitForMail(count: number): Promise<ReceivedMail[]>;
  stop(): Promise<void>;
}

/** Unfolds the header block and returns one header's value. */
function headerOf(headers: string, name: string): string | undefined {
  const unfolded = headers.replace(/\r?\n[ \t]+/g, ' ');
  return new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(unfolded)?.[1]?.trim();
}

/** RFC 2047: `=?UTF-8?Q?…?=` and `=?UTF-8?B?…?=`; whitespace between two encoded words is not part of the text. */
function decodeWords(value: string): string {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_w, _charset: string, encoding: string, text: string) => {
    if (encoding.toUpperCase() === 'B') return Buffer.from(text, 'base64').toString('utf8');
    return decodeQuotedPrintable(text.replace(/_/g, ' '));
  });
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  const soft = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3);
    if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(soft[i] as string, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

function parseMail(to: string[], raw: string): ReceivedMail {
  const at = raw.indexOf('\r\n\r\n');
  const headers = raw.slice(0, at);
  const body = raw.slice(at + 4);
  const encoding = headerOf(headers, 'Content-Transfer-Encoding')?.toLowerCase();
  const text = encoding === 'quoted-printable' ? decodeQuotedPrintable(body) : encoding === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : body;
  return { to, raw, subject: decodeWords(headerOf(headers, 'Subject') ?? ''), text };
}

/** A real SMTP server (the smtp-server package) on a free loopback port, keeping what it receives. */
export async function startSmtpServer(): Promise<SmtpFixture> {
  const mails: ReceivedMail[] = [];
  const fixture = { refuse: false };
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (fixture.refuse) {
        const refusal = Object.assign(new Error('mailbox unavailable'), { responseCode: 550 });
        callback(refusal);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push(parseMail(session.envelope.rcptTo.map((r) => r.address), Buffer.concat(chunks).toString('utf8')));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  const port = (smtp.server.address() as AddressInfo).port;
  return Object.assign(fixture, {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    async waitForMail(count: number) {
      for (let i = 0; i < 100 && mails.length < count; i++) await new Promise((r) => setTimeout(r, 50));
      return mails;
    },
    stop: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  });
}

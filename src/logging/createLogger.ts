import pino, { type Logger, type DestinationStream } from 'pino';

export type { Logger };

/**
 * JSON logs, one object per line. Callers log ids as pseudonyms and never message text; the redact list
 * is a second line of defence should a whole activity or request ever be passed in by mistake.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'waymark' },
      redact: {
        paths: ['text', '*.text', 'activity', '*.activity', 'body', '*.body', 'req.headers.authorization', 'from', '*.from', 'conversation', '*.conversation'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

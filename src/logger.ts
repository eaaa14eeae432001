import pino, { type Logger } from 'pino';

/**
 * Paths that may carry personal data. NIK, passport and phone numbers must never reach a log line:
 * logs carry application ids instead.
 */
const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'password',
  '*.password',
  '*.nik',
  '*.passportNumber',
  '*.phone',
  '*.recruiterPhone',
  '*.*.nik',
  '*.*.passportNumber',
  '*.*.phone',
];

export function createLogger(level: string, pretty = false): Logger {
  return pino({
    level,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    base: { service: 'saring' },
    timestamp: pino.stdTimeFunctions.isoTime,
    ...(pretty ? { transport: { target: 'pino-pretty', options: { singleLine: true } } } : {}),
  });
}

export type { Logger };

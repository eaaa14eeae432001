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

/**
 * Errors are logged without the values a failed query carried: drizzle writes the query's parameters
 * (a NIK, a phone number) into its error message and `params`, and PostgreSQL repeats key values in
 * `detail` ("Key (nik)=(...) already exists").
 */
function withoutQueryValues(err: unknown, depth = 0): unknown {
  if (!(err instanceof Error) || depth > 5) return err;
  const clean = Object.create(Object.getPrototypeOf(err)) as Record<string, unknown>;
  for (const key of Object.getOwnPropertyNames(err)) clean[key] = (err as unknown as Record<string, unknown>)[key];
  const failed = err as Error & { query?: unknown; params?: unknown; detail?: unknown; cause?: unknown };
  if (typeof failed.query === 'string' && 'params' in failed) {
    const message = `Failed query: ${failed.query}
params: [redacted]`;
    clean.message = message;
    clean.stack = typeof failed.stack === 'string' ? failed.stack.replace(failed.message, message) : failed.stack;
    clean.params = '[redacted]';
  }
  if ('detail' in failed) clean.detail = '[redacted]';
  if (failed.cause !== undefined) clean.cause = withoutQueryValues(failed.cause, depth + 1);
  return clean;
}
const errorWithoutValues = (err: unknown) => pino.stdSerializers.err(withoutQueryValues(err) as Error);

/** `destination` defaults to stdout; tests pass a stream to read what would be logged. */
export function createLogger(level: string, pretty = false, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    serializers: { err: errorWithoutValues, error: errorWithoutValues },
    base: { service: 'saring' },
    timestamp: pino.stdTimeFunctions.isoTime,
    ...(pretty && !destination ? { transport: { target: 'pino-pretty', options: { singleLine: true } } } : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };

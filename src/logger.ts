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
  // A passport's machine-readable zone repeats the passport number and birth date.
  'mrz',
  '*.mrz',
  '*.*.mrz',
];

/**
 * Personal numbers by their shape, for text no field name describes (an error message quoting a
 * value, a stack, a free-text note): a NIK (16 digits), a phone number in E.164 (+ and 8-15 digits)
 * or in Indonesian national notation (08.., with or without separators), an Indonesian passport
 * number (one or two capital letters and 7 digits). Case-sensitive, so ids (lowercase hex) survive.
 */
const personalNumber =
  /(?<![0-9])[0-9]{16}(?![0-9])|\+[0-9][0-9 -]{6,18}[0-9](?![0-9])|(?<![0-9A-Za-z])08[0-9]{2}[ -]?[0-9]{3,4}[ -]?[0-9]{3,5}(?![0-9])|(?<![0-9A-Za-z])[A-Z]{1,2}[0-9]{7}(?![0-9A-Za-z])/g;

/** Text with every personal number replaced by `[redacted]`. */
export function scrubPersonalNumbers(text: string): string {
  return text.replace(personalNumber, '[redacted]');
}

/** The string literals of a JSON text, each scrubbed (numbers and keys' structure stay valid JSON). */
const jsonString = /"(?:[^"\\]|\\.)*"/g;
const scrubLine = (line: string) => line.replace(jsonString, (literal) => scrubPersonalNumbers(literal));

/**
 * What an error may keep besides its type, message and stack: numbers and booleans (line counts,
 * statuses), and text only under these keys (codes and names, never values). Anything else an error
 * carries (csv-parse's `record` and `field`, drizzle's `params`, PostgreSQL's `detail`) is dropped.
 */
const textKeysKept = new Set(['code', 'name', 'type', 'severity', 'routine', 'table', 'constraint', 'schema', 'column', 'errno', 'syscall', 'reason']);

interface SerializedError {
  type: string;
  message: string;
  stack?: string;
  [key: string]: unknown;
}

/**
 * An error as it may be logged: drizzle writes the failed query's parameters (a NIK, a phone number)
 * into its message and `params`, PostgreSQL repeats key values in `detail` ("Key (nik)=(...) already
 * exists"), csv-parse quotes the cell in its message and keeps the record on the error. The message and
 * stack lose the parameters and any personal number; other properties are kept only when they cannot
 * be values (see textKeysKept); causes and aggregated errors are serialized the same way.
 */
export function serializeError(err: unknown, depth = 0): unknown {
  if (err === null || typeof err !== 'object' || depth > 5) return typeof err === 'string' ? scrubPersonalNumbers(err) : err;
  const source = err as Record<string, unknown> & { message?: unknown; stack?: unknown; query?: unknown };
  if (!(err instanceof Error) && typeof source.message !== 'string') return err;
  const rawMessage = typeof source.message === 'string' ? source.message : '';
  const message = typeof source.query === 'string' && 'params' in source ? `Failed query: ${source.query}\nparams: [redacted]` : rawMessage;
  const out: SerializedError = {
    type: err instanceof Error ? err.constructor.name : typeof source.type === 'string' ? source.type : 'Error',
    message: scrubPersonalNumbers(message),
  };
  if (typeof source.stack === 'string') out.stack = scrubPersonalNumbers(rawMessage ? source.stack.replace(rawMessage, message) : source.stack);
  for (const key of Object.keys(source)) {
    if (key === 'message' || key === 'stack' || key === 'type' || key === 'cause' || key === 'errors') continue;
    const value = source[key];
    if (typeof value === 'number' || typeof value === 'boolean') out[key] = value;
    else if (typeof value === 'string' && textKeysKept.has(key)) out[key] = scrubPersonalNumbers(value);
  }
  if (source.cause !== undefined) out.cause = serializeError(source.cause, depth + 1);
  if (Array.isArray(source.errors)) out.errors = source.errors.slice(0, 10).map((inner) => serializeError(inner, depth + 1));
  return out;
}

/**
 * The logger's serializers for errors; pino-http must be given these too, as it otherwise puts its own
 * (pino's standard error serializer, which copies every property) on the request loggers it makes.
 */
export const errorSerializers = { err: serializeError, error: serializeError } as const;

/** `destination` defaults to stdout; tests pass a stream to read what would be logged. */
export function createLogger(level: string, pretty = false, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    serializers: errorSerializers,
    // The last step of every line of every logger made from this one, whatever serializers a child
    // was given: personal numbers are scrubbed from every string in the line.
    hooks: { streamWrite: scrubLine },
    base: { service: 'saring' },
    timestamp: pino.stdTimeFunctions.isoTime,
    ...(pretty && !destination ? { transport: { target: 'pino-pretty', options: { singleLine: true } } } : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };

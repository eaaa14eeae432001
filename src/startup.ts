/**
 * Start-up failures that explain themselves: every way the service commonly fails to start is turned
 * into a cause and a fix a person can act on, printed as plain lines (never `undefined`, never a
 * stack trace for a known cause).
 */
export class StartupError extends Error {
  constructor(
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${problem}\n  Fix: ${fix}`);
    this.name = 'StartupError';
  }
}

interface SystemError {
  code?: string;
  message?: string;
  address?: string;
  port?: number;
  routine?: string;
}

const pgAuthFailures = new Set(['28P01', '28000']);

/** Where the failing database lives, without the password. */
function describeUrl(url: string | undefined): string {
  if (!url) return 'the database';
  try {
    const parsed = new URL(url);
    return `${parsed.username || 'postgres'}@${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

/** Turns whatever stopped the start into one StartupError; unknown errors keep their own message. */
export function explainStartupFailure(error: unknown, context: { databaseUrl?: string } = {}): StartupError {
  if (error instanceof StartupError) return error;
  const where = describeUrl(context.databaseUrl);
  const system = (typeof error === 'object' && error !== null ? error : {}) as SystemError;
  const message = system.message ?? (error === undefined ? '' : String(error));

  if (system.code && pgAuthFailures.has(system.code)) {
    return new StartupError(
      `PostgreSQL refused the credentials for ${where}: ${message}`,
      'check the user name and password in DATABASE_URL (and pg_hba.conf on the server); unset DATABASE_URL to use the embedded PostgreSQL.',
    );
  }
  if (system.code === '3D000') {
    const database = where.split('/').pop() || 'saring';
    return new StartupError(`The database in DATABASE_URL does not exist (${where}).`, `create it first, e.g. \`createdb ${database}\`, or point DATABASE_URL at an existing database.`);
  }
  if (system.code === 'ECONNREFUSED' || system.code === 'ENOTFOUND' || system.code === 'EAI_AGAIN') {
    const target = system.address ? `${system.address}:${system.port ?? ''}` : where;
    return new StartupError(
      `Nothing answers at ${target} (${system.code}).`,
      'start that server (PostgreSQL for DATABASE_URL, Redis for REDIS_URL) or correct the URL; unset DATABASE_URL to use the embedded PostgreSQL.',
    );
  }
  if (system.code === 'ENOSPC' || system.code === '53100' || /no space left on device/i.test(message)) {
    return new StartupError('The disk is full (no space left on device).', 'free disk space where the data directory (EMBEDDED_PG_DIR) or the database server keeps its files, then start again.');
  }
  if (system.code === 'EACCES' || system.code === 'EPERM') {
    return new StartupError(`Permission denied: ${message}`, 'run Saring as a user that may write its data directory (EMBEDDED_PG_DIR), or choose another directory.');
  }
  if (system.code === 'EADDRINUSE') {
    return new StartupError(`Port ${system.port ?? ''} is already in use.`, 'stop the program that uses it (is another Saring running?), or set PORT to a free port.');
  }
  return new StartupError(message ? `Unexpected start-up failure: ${message}` : 'Unexpected start-up failure with no message.', 'run again with LOG_LEVEL=debug and read the lines before this one.');
}

/** The address a person opens in a browser: the listening port on this machine. */
export function baseUrl(config: { HOST: string; PORT: number }): string {
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  return `http://${host}:${config.PORT}`;
}

/** Plain lines for the terminal once the service listens: where the console, the API and its docs are. */
export function readyLines(config: { HOST: string; PORT: number }): string {
  const base = baseUrl(config);
  return ['', `Saring is ready.`, `  Console:  ${base}/console/`, `  API:      ${base}/api/v1  (documentation: ${base}/api/docs)`, ''].join('\n');
}

/** The first run's demo accounts as plain lines (shown once: the passwords are stored only as hashes). */
export function demoAccountLines(logins: { username: string; password: string; role: string; officeCode: string }[]): string {
  const width = Math.max(...logins.map((login) => login.username.length));
  return [
    '',
    'Demo accounts, shown this once (the passwords are not stored in clear; change them before real use):',
    ...logins.map((login) => `  ${login.username.padEnd(width)}  password ${login.password}  (${login.role} at ${login.officeCode})`),
    '',
  ].join('\n');
}

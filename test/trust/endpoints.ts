import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { createApp } from '../../src/app';
import type { Role } from '../../src/auth/schema';
import { loadConfig } from '../../src/config';
import type { RootDatabase } from '../../src/db/client';
import type { JobRunner } from '../../src/jobs';
import { createLogger } from '../../src/logger';
import type { Screener } from '../../src/screening/screener';
import { recordPostponement } from '../../src/postponements/record';
import { japanHoliday, passportForWorkInCambodia } from '../applications/payloads';
import { insertFlaggedApplication } from '../support/fixtures';
import { bearer, type TestContext } from '../support/harness';
import { registeredRoutes } from '../support/routes';
import { multipart, TINY_PNG } from '../support/multipart';

/**
 * The one table of every endpoint the app registers: who may call it from which office, with the
 * status each caller gets, and how to build a request that is valid for that caller (so a refusal
 * can only be the authorisation speaking). The authorisation matrix and the malformed-input suite
 * both run from it, and both fail when the app registers a route that has no row here.
 *
 * A new endpoint needs a row: method and path exactly as registered, `expect` in the column order
 * below, and `request` when it needs an id, a body or state (a claimed case, a pending approval).
 */

/** Column order of `expect`. "own" is the office the row's resource belongs to, "other" another office of the same kind. */
export const callerColumns = [
  'officer@own',
  'officer@other',
  'passport_officer@own',
  'passport_officer@other',
  'supervisor@own',
  'supervisor@other',
  'supervisor@HQ',
  'admin@own',
  'admin@other',
  'admin@HQ',
  'anonymous',
] as const;
export type CallerColumn = (typeof callerColumns)[number];
export type Statuses = readonly [number, number, number, number, number, number, number, number, number, number, number];

export type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

export interface Caller {
  column: CallerColumn;
  role: Role | null;
  officeCode: string | null;
  userId: string | null;
  token: string | null;
}

export interface BuiltRequest {
  path: string;
  /** A JSON body, or a string sent with `contentType`. */
  body?: unknown;
  contentType?: string;
  /** Call as this token instead of the caller's (a fresh user of the same role and office). */
  token?: string;
}

/** What a write endpoint accepts, for the malformed-input suite. */
export type BodyKind = 'json' | 'none' | 'csv' | 'ndjson' | 'multipart';

export interface Endpoint {
  method: Method;
  path: string;
  /** The office the resource belongs to; "other" callers sit in `otherOffice[home]`. */
  home?: OfficeCode;
  body?: BodyKind;
  request?: (fx: Fixtures, caller: Caller) => Promise<BuiltRequest>;
  expect: Statuses;
}

export type OfficeCode = 'TPI-CGK' | 'KANIM-KARAWANG';
export const otherOffice: Record<OfficeCode, string> = { 'TPI-CGK': 'TPI-DPS', 'KANIM-KARAWANG': 'KANIM-JAKSEL' };
const callerOffices = ['TPI-CGK', 'TPI-DPS', 'KANIM-KARAWANG', 'KANIM-JAKSEL'] as const;
const roles: Role[] = ['officer', 'passport_officer', 'supervisor', 'admin'];

export const routeKey = (method: string, routePath: string) => `${method.toUpperCase()} ${routePath}`;

/**
 * The routes this build registers, read when the test file is loaded (before any database exists)
 * from an app wired with stand-ins: routers are built eagerly and touch nothing while being built.
 * Rows for routes this build does not register (another component not merged yet) are skipped;
 * routes without a row always fail, against the fully wired app.
 */
export function routesOfThisBuild(): Set<string> | null {
  try {
    const app = createApp({
      config: loadConfig({ NODE_ENV: 'test' }),
      db: {} as RootDatabase,
      jobs: { kind: 'in-process', healthy: async () => true } as unknown as JobRunner,
      logger: createLogger('silent'),
      screener: {} as Screener,
    });
    return new Set(registeredRoutes(app).map((route) => routeKey(route.method, route.path)));
  } catch {
    return null;
  }
}

const unique = () => randomBytes(4).toString('hex');

/** A one-passenger ferry manifest with its own reference (a resend would answer 200). */
const ferryManifest = (reference: string) =>
  'manifest_ref,operator,vessel,departure_port,arrival_port,departure_at,surname,given_names,nationality,document_number\n' +
  `FX-${reference},Fixture Ferry,MV Fixture,Batam Centre,HarbourFront,2026-12-20T08:30:00+07:00,SARI,WULAN,IDN,C7654321\n`;

/** A manifest received at a checkpoint, and the id of its passenger. */
async function manifestAt(fx: Fixtures, officeCode: string): Promise<{ manifestId: string; passengerId: string }> {
  const res = await request(fx.ctx.app)
    .post('/api/v1/manifests')
    .set(bearer(fx.user('officer', officeCode).token))
    .set('Content-Type', 'text/csv')
    .send(ferryManifest(unique()));
  if (res.status !== 201) throw new Error(`manifest fixture: ${res.status} ${JSON.stringify(res.body)}`);
  const rows = await fx.ctx.database.pool.query<{ id: string }>('SELECT id FROM manifest_passengers WHERE manifest_id = $1', [res.body.id]);
  return { manifestId: res.body.id as string, passengerId: rows.rows[0]!.id };
}
const tomorrowInJakarta = () => new Date(Date.now() + 86_400_000 + 7 * 3600_000).toISOString().slice(0, 10);

/** Users in every office a row can need, and builders of fresh resources for each request. */
export class Fixtures {
  private readonly users = new Map<string, { id: string; token: string }>();
  private cached = new Map<string, Promise<unknown>>();

  constructor(readonly ctx: TestContext) {}

  async setUp(): Promise<void> {
    for (const officeCode of callerOffices) {
      for (const role of roles) this.users.set(`${role}@${officeCode}`, await this.ctx.userFor(role, officeCode));
    }
    for (const role of ['supervisor', 'admin'] as const) this.users.set(`${role}@HQ`, await this.ctx.userFor(role, 'HQ'));
  }

  user(role: Role, officeCode: string): { id: string; token: string } {
    const found = this.users.get(`${role}@${officeCode}`);
    if (!found) throw new Error(`no fixture user ${role}@${officeCode}`);
    return found;
  }

  callers(home: OfficeCode): Caller[] {
    return callerColumns.map((column) => {
      if (column === 'anonymous') return { column, role: null, officeCode: null, userId: null, token: null };
      const [role, where] = column.split('@') as [Role, 'own' | 'other' | 'HQ'];
      const officeCode = where === 'own' ? home : where === 'other' ? otherOffice[home] : 'HQ';
      const { id, token } = this.user(role, officeCode);
      return { column, role, officeCode, userId: id, token };
    });
  }

  /** Something built once per fixture set (a webhook to read, a backtest to fetch). */
  once<T>(key: string, build: () => Promise<T>): Promise<T> {
    if (!this.cached.has(key)) this.cached.set(key, build());
    return this.cached.get(key) as Promise<T>;
  }

  private api(method: Method, routePath: string, token: string) {
    return request(this.ctx.app)[method](routePath).set(bearer(token));
  }

  private async expectOk<T = Record<string, unknown>>(res: request.Response, what: string): Promise<T> {
    if (res.status >= 300) throw new Error(`fixture ${what} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as T;
  }

  async application(officeCode: string): Promise<string> {
    return (await insertFlaggedApplication(this.ctx.database.db, { officeCode, outcome: 'CLEAR' })).applicationId;
  }

  async openCase(officeCode: string): Promise<string> {
    const { caseRow } = await insertFlaggedApplication(this.ctx.database.db, { officeCode });
    return caseRow!.id;
  }

  async claimedCase(officeCode: string, claimant: string): Promise<string> {
    const id = await this.openCase(officeCode);
    await this.ctx.database.pool.query(
      "UPDATE cases SET state = 'claimed', claimed_by = $2, claimed_at = now(), lease_expires_at = now() + interval '15 minutes' WHERE id = $1",
      [id, claimant],
    );
    return id;
  }

  /** A postponement decided by an officer of the office, waiting for a second person's approval. */
  async pendingApproval(officeCode: string): Promise<string> {
    const id = await this.openCase(officeCode);
    await this.ctx.database.pool.query(
      `UPDATE cases SET state = 'pending_approval', action = 'postpone', reason_code = 'incomplete_documents',
         note = 'Bring the employment contract.', postponement_deadline = current_date + 30, decided_by = $2, decided_at = now()
       WHERE id = $1`,
      [id, this.user('officer', officeCode).id],
    );
    return id;
  }

  async postponement(officeCode: string): Promise<string> {
    const row = await recordPostponement(
      this.ctx.database.db,
      {
        kind: 'departure',
        applicationId: null,
        caseId: null,
        officeCode,
        destinationCountry: 'KH',
        reasonCode: 'incomplete_documents',
        note: 'Bring the employment contract.',
        deadline: null,
        decidedBy: this.user('officer', officeCode).id,
      },
      null,
      null,
    );
    return row.id;
  }

  async batch(officeCode: string): Promise<string> {
    const res = await this.api('post', '/api/v1/batches', this.user('officer', officeCode).token)
      .set('Content-Type', 'application/x-ndjson')
      .send(`${JSON.stringify(japanHoliday())}\n`);
    return (await this.expectOk<{ id: string }>(res, 'batch')).id;
  }

  /** A subscription of the office's events (made by a headquarters admin for it), inactive so nothing is ever sent. */
  async webhook(officeCode: string = 'TPI-CGK'): Promise<string> {
    const res = await this.api('post', '/api/v1/webhooks', this.user('admin', 'HQ').token).send({ url: `https://receiver.example/${unique()}`, officeCode, active: false });
    return (await this.expectOk<{ id: string }>(res, 'webhook')).id;
  }

  /** A delivery of one of the office's subscriptions that used up its attempts, as the dispatcher leaves one. */
  async deadLetter(officeCode: string = 'TPI-CGK'): Promise<string> {
    const subscription = await this.webhook(officeCode);
    const { rows: audit } = await this.ctx.database.pool.query("SELECT max(id) AS id FROM audit_log");
    const { rows: events } = await this.ctx.database.pool.query(
      "INSERT INTO webhook_events (audit_id, action, type, payload) VALUES ($1, 'case.decided', 'case.decided', '{}') RETURNING id",
      [Number(audit[0].id) * 1000 + Math.floor(Math.random() * 1000)],
    );
    const { rows } = await this.ctx.database.pool.query(
      "INSERT INTO webhook_deliveries (event_id, subscription_id, state, attempts, dead_at, last_error) VALUES ($1, $2, 'dead', 8, now(), 'fixture') RETURNING id",
      [events[0].id, subscription],
    );
    return rows[0].id as string;
  }

  async watchlistEntry(): Promise<string> {
    const res = await this.api('post', '/api/v1/watchlists/entries', this.user('admin', 'HQ').token).send({
      list: 'agency',
      name: `PT Fixture ${unique()}`,
      source: 'Polri referral',
    });
    return (await this.expectOk<{ id: string }>(res, 'watchlist entry')).id;
  }

  async allowlistEntry(): Promise<string> {
    const res = await this.api('post', '/api/v1/allowlists/entries', this.user('admin', 'HQ').token).send({
      partyType: 'placement_agency',
      name: `PT Fixture ${unique()}`,
      licence: `KEP ${unique()}`,
      suppresses: ['procedural.no-id-pmi'],
      source: 'KP2MI licence register',
      validUntil: '2099-12-31',
    });
    return (await this.expectOk<{ id: string }>(res, 'allowlist entry')).id;
  }

  backtest(): Promise<string> {
    return this.once('backtest', async () => {
      const res = await this.api('post', '/api/v1/rulesets/active/backtest', this.user('admin', 'HQ').token).send({ from: '2020-01-01', to: '2030-01-01' });
      return (await this.expectOk<{ id: string }>(res, 'backtest')).id;
    });
  }

  rescreen(officeCode: string): Promise<string> {
    return this.once(`rescreen@${officeCode}`, async () => {
      const res = await this.api('post', '/api/v1/rulesets/active/rescreen', this.user('supervisor', officeCode).token).send({});
      return (await this.expectOk<{ id: string }>(res, 'rescreen')).id;
    });
  }

  /** The active rule set's files, as an admin would upload them again. */
  activeRuleSetFiles(): Promise<Record<string, string>> {
    return this.once('active-files', async () => {
      const res = await this.api('get', '/api/v1/rulesets/active', this.user('admin', 'HQ').token);
      return (await this.expectOk<{ files: Record<string, string> }>(res, 'active rule set')).files;
    });
  }

  /** An application received through the API, so it can be replayed. */
  submittedApplication(): Promise<string> {
    return this.once('submitted', async () => {
      const res = await this.api('post', '/api/v1/departure-checks', this.user('officer', 'TPI-CGK').token).send(japanHoliday());
      return (await this.expectOk<{ id: string }>(res, 'departure check')).id;
    });
  }

  /** Two applications of the office sharing a fresh recruiter phone (a network of two); returns the first. */
  async sharedPhoneNetwork(officeCode: string): Promise<string> {
    const phone = `+62812${String(randomBytes(3).readUIntBE(0, 3)).padStart(8, '0')}`;
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) ids.push(await this.application(officeCode));
    await this.ctx.database.pool.query('UPDATE applications SET recruiter_phone = $1 WHERE id = ANY($2::uuid[])', [phone, ids]);
    return ids[0]!;
  }

  /** An unacknowledged cluster notification for the office: a departed member of a grown cluster. */
  async clusterNotification(officeCode: string): Promise<string> {
    const member = await this.application(officeCode);
    const trigger = await this.application(officeCode);
    const { rows } = await this.ctx.database.pool.query(
      `INSERT INTO cluster_alerts (member_application_id, trigger_application_id, office_code, result, evidence)
       VALUES ($1, $2, $3, 'departed', $4) RETURNING id`,
      [member, trigger, officeCode, JSON.stringify({ triggerApplicationId: trigger, asOf: new Date().toISOString(), links: [] })],
    );
    return rows[0].id as string;
  }

  /** A fresh user of the caller's role and office, for requests that change the caller themselves. */
  /** A case of the office with one PNG attached (by its officer); answers both ids. */
  async caseWithAttachment(officeCode: string): Promise<{ caseId: string; attachmentId: string }> {
    const caseId = await this.openCase(officeCode);
    const { body, contentType } = multipart({ kind: 'job_advert' }, { name: 'iklan.png', type: 'image/png', bytes: TINY_PNG });
    const res = await this.api('post', `/api/v1/cases/${caseId}/attachments`, this.user('officer', officeCode).token).set('Content-Type', contentType).send(body);
    return { caseId, attachmentId: (await this.expectOk<{ id: string }>(res, 'attachment')).id };
  }

  async freshUser(caller: Caller) {
    return this.ctx.userFor(caller.role ?? 'officer', caller.officeCode ?? 'TPI-CGK');
  }
}

const claimantOrOfficer = (fx: Fixtures, caller: Caller, home: string) => caller.userId ?? fx.user('officer', home).id;

// Columns:            officer      passport     supervisor        admin           anon
//                     own  other   own  other   own  other  HQ    own  other  HQ
const anyone = (ok: number): Statuses => [ok, ok, ok, ok, ok, ok, ok, ok, ok, ok, 401];
const everyone = (ok: number): Statuses => [ok, ok, ok, ok, ok, ok, ok, ok, ok, ok, ok];
const supervisorsAndAdmins = (ok: number): Statuses => [403, 403, 403, 403, ok, ok, ok, ok, ok, ok, 401];
const adminsOnly = (ok: number): Statuses => [403, 403, 403, 403, 403, 403, 403, ok, ok, ok, 401];
/**
 * Admins who manage the resource's office: its own admin and headquarters'. Another office's admin gets
 * `other` (403 for a named office, 404 for a record of that office, which they cannot see).
 */
const officeAdmins = (ok: number, other: 403 | 404): Statuses => [403, 403, 403, 403, 403, 403, 403, ok, other, ok, 401];
/** Any signed-in caller, limited to the resource's office (headquarters sees every office). */
const anyoneInOffice = (ok: number): Statuses => [ok, 404, ok, 404, ok, 404, ok, ok, 404, ok, 401];

/** A postponement of a real application (a re-review needs one), fresh for each request. */
async function postponementOfApplication(fx: Fixtures, officeCode: string): Promise<string> {
  const applicationId = await fx.application(officeCode);
  const row = await recordPostponement(
    fx.ctx.database.db,
    { kind: 'departure', applicationId, caseId: null, officeCode, destinationCountry: 'KH', reasonCode: 'incomplete_documents', note: 'Bring the employment contract.', deadline: null, decidedBy: fx.user('officer', officeCode).id },
    null,
    null,
  );
  return row.id;
}

/** A referral sent from a case of the office, fresh for each request. */
async function referralIn(fx: Fixtures, officeCode: string): Promise<string> {
  const caseId = await fx.openCase(officeCode);
  const { rows } = await fx.ctx.database.pool.query(
    `INSERT INTO referrals (case_id, application_id, office_code, agency, reason_code, due_date, created_by)
     SELECT id, application_id, office_code, 'kp2mi_bp3mi', 'suspected_trafficking_victim', current_date + 7, 'fixture' FROM cases WHERE id = $1 RETURNING id`,
    [caseId],
  );
  return rows[0].id as string;
}

/** The verification code of a printed notice. */
async function noticeCode(fx: Fixtures): Promise<string> {
  const id = await fx.postponement('TPI-CGK');
  const code = 'N0T1CE' + randomBytes(3).toString('hex').toUpperCase().replace(/[ILOU]/g, '7');
  await fx.ctx.database.pool.query('INSERT INTO postponement_notices (code, postponement_id, issued_by) VALUES ($1, $2, $3)', [code, id, 'fixture']);
  return code;
}

export const endpoints: Endpoint[] = [
  // Operations and documentation: public.
  { method: 'get', path: '/', expect: everyone(302) },
  { method: 'get', path: '/healthz', expect: everyone(200) },
  { method: 'get', path: '/readyz', expect: everyone(200) },
  { method: 'get', path: '/metrics', expect: everyone(200) },
  { method: 'get', path: '/api/openapi.json', expect: everyone(200) },
  { method: 'get', path: '/api/docs', expect: everyone(200) },
  { method: 'get', path: '/api/docs/init.js', expect: everyone(200) },
  { method: 'get', path: '/console/', expect: everyone(200) },
  { method: 'get', path: '/console/reference.json', expect: everyone(200) },
  { method: 'get', path: '/console/vendor/cytoscape.mjs', expect: everyone(200) },

  // Accounts.
  {
    method: 'post',
    path: '/api/v1/auth/login',
    body: 'json',
    request: async (fx, caller) => {
      const user = await fx.freshUser(caller);
      return { path: '/api/v1/auth/login', body: { username: user.username, password: user.password } };
    },
    expect: everyone(200),
  },
  { method: 'get', path: '/api/v1/me', expect: anyone(200) },
  {
    method: 'post',
    path: '/api/v1/auth/password',
    body: 'json',
    request: async (fx, caller) => {
      const user = await fx.freshUser(caller);
      return { path: '/api/v1/auth/password', token: caller.token ? user.token : undefined, body: { currentPassword: user.password, newPassword: `new-password-${unique()}` } };
    },
    expect: anyone(204),
  },
  {
    method: 'post',
    path: '/api/v1/users',
    body: 'json',
    request: async () => ({
      path: '/api/v1/users',
      body: { username: `matrix.${unique()}`, displayName: 'Matrix User', password: 'a-long-password-1', role: 'officer', officeCode: 'TPI-CGK' },
    }),
    // An office admin creates accounts at their own office only.
    expect: officeAdmins(201, 403),
  },

  // Offices.
  { method: 'get', path: '/api/v1/offices/', expect: anyone(200) },
  {
    method: 'patch',
    path: '/api/v1/offices/:code',
    body: 'json',
    request: async () => ({ path: '/api/v1/offices/TPI-CGK', body: { passportSlaHours: 72 } }),
    // An office admin changes their own office's settings only.
    expect: officeAdmins(200, 403),
  },

  // Intake: departure checks come from checkpoints, passport applications from passport offices.
  {
    method: 'post',
    path: '/api/v1/departure-checks',
    body: 'json',
    request: async () => ({ path: '/api/v1/departure-checks', body: japanHoliday() }),
    expect: [201, 201, 403, 403, 201, 201, 422, 403, 403, 403, 401],
  },
  {
    method: 'post',
    path: '/api/v1/passport-applications',
    home: 'KANIM-KARAWANG',
    body: 'json',
    request: async () => ({ path: '/api/v1/passport-applications', body: passportForWorkInCambodia() }),
    expect: [403, 403, 201, 201, 201, 201, 422, 403, 403, 403, 401],
  },
  { method: 'get', path: '/api/v1/applications', expect: anyone(200) },
  {
    method: 'get',
    path: '/api/v1/applications/:id',
    request: async (fx) => ({ path: `/api/v1/applications/${await fx.application('TPI-CGK')}` }),
    expect: anyoneInOffice(200),
  },
  {
    method: 'get',
    path: '/api/v1/applications/:id/replay',
    request: async (fx) => ({ path: `/api/v1/applications/${await fx.submittedApplication()}/replay` }),
    expect: [403, 403, 403, 403, 200, 404, 200, 200, 404, 200, 401],
  },
  {
    method: 'get',
    path: '/api/v1/links/:applicationId',
    request: async (fx) => ({ path: `/api/v1/links/${await fx.application('TPI-CGK')}` }),
    expect: anyoneInOffice(200),
  },
  {
    method: 'get',
    path: '/api/v1/persons/:id',
    request: async (fx) => {
      const applicationId = await fx.application('TPI-CGK');
      const [person] = (await fx.ctx.database.pool.query('SELECT p.id FROM persons p JOIN applications a ON a.person_key = p.key WHERE a.id = $1', [applicationId])).rows;
      return { path: `/api/v1/persons/${person.id}` };
    },
    expect: anyoneInOffice(200),
  },
  {
    method: 'get',
    path: '/api/v1/applications/:id/person',
    request: async (fx) => ({ path: `/api/v1/applications/${await fx.application('TPI-CGK')}/person` }),
    expect: anyoneInOffice(200),
  },

  // Networks (issue 21): the drawn network, cluster notifications for supervisors, marking a known network.
  {
    method: 'get',
    path: '/api/v1/networks/notifications',
    expect: supervisorsAndAdmins(200),
  },
  {
    method: 'post',
    path: '/api/v1/networks/notifications/:id/acknowledge',
    body: 'none',
    request: async (fx) => ({ path: `/api/v1/networks/notifications/${await fx.clusterNotification('TPI-CGK')}/acknowledge` }),
    expect: [403, 403, 403, 403, 200, 404, 200, 200, 404, 200, 401],
  },
  {
    method: 'get',
    path: '/api/v1/networks/:applicationId',
    request: async (fx) => ({ path: `/api/v1/networks/${await fx.application('TPI-CGK')}` }),
    expect: anyoneInOffice(200),
  },
  {
    method: 'post',
    path: '/api/v1/networks/:applicationId/known',
    body: 'json',
    request: async (fx) => ({ path: `/api/v1/networks/${await fx.sharedPhoneNetwork('TPI-CGK')}/known`, body: { source: 'Polri referral 12/2026' } }),
    expect: [403, 403, 403, 403, 201, 404, 201, 201, 404, 201, 401],
  },
  {
    method: 'post',
    path: '/api/v1/networks/:applicationId/recruiter-watchlist',
    body: 'json',
    request: async (fx) => ({ path: `/api/v1/networks/${await fx.sharedPhoneNetwork('TPI-CGK')}/recruiter-watchlist`, body: { keys: ['recruiterPhone'], source: 'Case review 12/2026' } }),
    expect: [403, 403, 403, 403, 201, 404, 201, 201, 404, 201, 401],
  },

  // Batches: an upload is screened as the uploader's office's kind of application.
  {
    method: 'post',
    path: '/api/v1/batches',
    body: 'ndjson',
    request: async () => ({ path: '/api/v1/batches', contentType: 'application/x-ndjson', body: `${JSON.stringify(japanHoliday())}\n` }),
    expect: [202, 202, 403, 403, 202, 202, 422, 403, 403, 403, 401],
  },
  { method: 'get', path: '/api/v1/batches', expect: anyone(200) },
  {
    method: 'get',
    path: '/api/v1/batches/:id',
    request: async (fx) => ({ path: `/api/v1/batches/${await fx.once('batch', () => fx.batch('TPI-CGK'))}` }),
    expect: anyoneInOffice(200),
  },
  {
    method: 'get',
    path: '/api/v1/batches/:id/results.csv',
    request: async (fx) => ({ path: `/api/v1/batches/${await fx.once('batch', () => fx.batch('TPI-CGK'))}/results.csv` }),
    expect: anyoneInOffice(200),
  },

  // Manifests (issue 22): carriers' passenger lists received at a checkpoint, and its expected departures.
  {
    method: 'post',
    path: '/api/v1/manifests',
    body: 'csv',
    request: async () => ({ path: '/api/v1/manifests', contentType: 'text/csv', body: ferryManifest(unique()) }),
    expect: [201, 201, 403, 403, 201, 201, 422, 403, 403, 403, 401],
  },
  {
    method: 'get',
    path: '/api/v1/manifests/:id',
    request: async (fx) => ({ path: `/api/v1/manifests/${(await fx.once('manifest', () => manifestAt(fx, 'TPI-CGK'))).manifestId}` }),
    expect: [200, 404, 403, 403, 200, 404, 200, 200, 404, 200, 401],
  },
  {
    method: 'get',
    path: '/api/v1/checkpoints/:code/expected-departures',
    request: async () => ({ path: '/api/v1/checkpoints/TPI-CGK/expected-departures' }),
    expect: [200, 404, 403, 403, 200, 404, 200, 200, 404, 200, 401],
  },
  {
    method: 'get',
    path: '/api/v1/manifest-passengers/:id',
    request: async (fx) => ({ path: `/api/v1/manifest-passengers/${(await fx.once('manifest', () => manifestAt(fx, 'TPI-CGK'))).passengerId}` }),
    expect: [200, 404, 403, 403, 200, 404, 200, 200, 404, 200, 401],
  },
  {
    method: 'post',
    path: '/api/v1/carrier-feeds',
    body: 'json',
    request: async () => ({ path: '/api/v1/carrier-feeds', body: { checkpointCode: 'TPI-CGK', carrierName: `Carrier ${unique()}` } }),
    // A carrier feed is an account at the checkpoint: its own admin or headquarters'.
    expect: officeAdmins(201, 403),
  },
  {
    method: 'delete',
    path: '/api/v1/carrier-feeds/:id',
    body: 'none',
    request: async (fx) => {
      const res = await request(fx.ctx.app).post('/api/v1/carrier-feeds').set(bearer(fx.user('admin', 'HQ').token)).send({ checkpointCode: 'TPI-CGK', carrierName: `Carrier ${unique()}` });
      return { path: `/api/v1/carrier-feeds/${res.body.userId as string}` };
    },
    expect: officeAdmins(204, 404),
  },

  // Webhooks: admins, each for the offices they manage. The rows' subscriptions receive TPI-CGK's events.
  {
    method: 'post',
    path: '/api/v1/webhooks',
    body: 'json',
    request: async () => ({ path: '/api/v1/webhooks', body: { url: `https://receiver.example/${unique()}`, officeCode: 'TPI-CGK', active: false } }),
    expect: officeAdmins(201, 403),
  },
  // Every admin lists (their scope's subscriptions and dead letters: test/trust/admin-scope.test.ts).
  { method: 'get', path: '/api/v1/webhooks', expect: adminsOnly(200) },
  { method: 'get', path: '/api/v1/webhooks/dead-letters', expect: adminsOnly(200) },
  {
    method: 'post',
    path: '/api/v1/webhooks/dead-letters/:id/retry',
    body: 'none',
    request: async (fx) => ({ path: `/api/v1/webhooks/dead-letters/${await fx.deadLetter()}/retry` }),
    expect: officeAdmins(202, 404),
  },
  {
    method: 'get',
    path: '/api/v1/webhooks/:id',
    request: async (fx) => ({ path: `/api/v1/webhooks/${await fx.once('webhook', () => fx.webhook())}` }),
    expect: officeAdmins(200, 404),
  },
  {
    method: 'patch',
    path: '/api/v1/webhooks/:id',
    body: 'json',
    request: async (fx) => ({ path: `/api/v1/webhooks/${await fx.webhook()}`, body: { description: 'matrix' } }),
    expect: officeAdmins(200, 404),
  },
  {
    method: 'delete',
    path: '/api/v1/webhooks/:id',
    body: 'none',
    request: async (fx) => ({ path: `/api/v1/webhooks/${await fx.webhook()}` }),
    expect: officeAdmins(204, 404),
  },

  // Review queue. Officers of either kind and supervisors review; supervisors and admins run the queue.
  {
    method: 'post',
    path: '/api/v1/cases/next',
    body: 'none',
    request: async (fx, caller) => {
      if (caller.officeCode && caller.officeCode !== 'HQ') await fx.openCase(caller.officeCode);
      return { path: '/api/v1/cases/next' };
    },
    // Each caller takes from their own office's queue; headquarters has none.
    expect: [200, 200, 200, 200, 200, 200, 204, 403, 403, 403, 401],
  },
  { method: 'get', path: '/api/v1/cases', expect: supervisorsAndAdmins(200) },
  {
    method: 'get',
    path: '/api/v1/cases/:id',
    request: async (fx) => ({ path: `/api/v1/cases/${await fx.openCase('TPI-CGK')}` }),
    expect: anyoneInOffice(200),
  },
  {
    method: 'post',
    path: '/api/v1/cases/:id/claim',
    body: 'none',
    request: async (fx) => ({ path: `/api/v1/cases/${await fx.openCase('TPI-CGK')}/claim` }),
    expect: [200, 404, 200, 404, 200, 404, 200, 403, 403, 403, 401],
  },
  {
    method: 'post',
    path: '/api/v1/cases/:id/release',
    body: 'none',
    // Claimed by the caller (an admin cannot claim: by an officer of the office; admins release for the queue).
    request: async (fx, caller) => ({ path: `/api/v1/cases/${await fx.claimedCase('TPI-CGK', caller.role === 'admin' ? fx.user('officer', 'TPI-CGK').id : claimantOrOfficer(fx, caller, 'TPI-CGK'))}/release` }),
    expect: anyoneInOffice(200),
  },
  {
    method: 'post',
    path: '/api/v1/cases/:id/renew',
    body: 'none',
    request: async (fx, caller) => ({ path: `/api/v1/cases/${await fx.claimedCase('TPI-CGK', claimantOrOfficer(fx, caller, 'TPI-CGK'))}/renew` }),
    expect: [200, 404, 200, 404, 200, 404, 200, 403, 403, 403, 401],
  },
  {
    method: 'post',
    path: '/api/v1/cases/:id/decision',
    body: 'json',
    request: async (fx, caller) => ({
      path: `/api/v1/cases/${await fx.claimedCase('TPI-CGK', claimantOrOfficer(fx, caller, 'TPI-CGK'))}/decision`,
      body: { action: 'clear', reasonCode: 'documents_verified' },
    }),
    expect: [200, 404, 200, 404, 200, 404, 200, 403, 403, 403, 401],
  },
  {
    method: 'post',
    path: '/api/v1/cases/:id/approval',
    body: 'json',
    request: async (fx) => ({ path: `/api/v1/cases/${await fx.pendingApproval('TPI-CGK')}/approval`, body: { approve: true } }),
    // Admins approve only from headquarters; in an office it is a supervisor's call.
    expect: [403, 403, 403, 403, 200, 404, 200, 403, 403, 200, 401],
  },
  {
    method: 'post',
    path: '/api/v1/cases/:id/assign',
    body: 'json',
    request: async (fx) => ({ path: `/api/v1/cases/${await fx.openCase('TPI-CGK')}/assign`, body: { userId: fx.user('officer', 'TPI-CGK').id } }),
    expect: [403, 403, 403, 403, 200, 404, 200, 200, 404, 200, 401],
  },
  { method: 'get', path: '/api/v1/queue/stats', expect: supervisorsAndAdmins(200) },

  // Casework (issue 24): notes and attachments follow the case's office; those who work cases write.
  {
    method: 'get',
    path: '/api/v1/cases/:id/notes',
    request: async (fx) => ({ path: `/api/v1/cases/${await fx.once('case-for-notes', () => fx.openCase('TPI-CGK'))}/notes` }),
    expect: anyoneInOffice(200),
  },
  {
    method: 'post',
    path: '/api/v1/cases/:id/notes',
    body: 'json',
    request: async (fx) => ({ path: `/api/v1/cases/${await fx.once('case-for-notes', () => fx.openCase('TPI-CGK'))}/notes`, body: { body: 'Catatan uji.' } }),
    expect: [201, 404, 201, 404, 201, 404, 201, 403, 403, 403, 401],
  },
  {
    method: 'get',
    path: '/api/v1/cases/:id/attachments',
    request: async (fx) => ({ path: `/api/v1/cases/${(await fx.once('attachment', () => fx.caseWithAttachment('TPI-CGK'))).caseId}/attachments` }),
    expect: anyoneInOffice(200),
  },
  {
    method: 'post',
    path: '/api/v1/cases/:id/attachments',
    body: 'multipart',
    request: async (fx) => {
      const { body, contentType } = multipart({ kind: 'ticket' }, { name: 'tiket.png', type: 'image/png', bytes: TINY_PNG });
      return { path: `/api/v1/cases/${await fx.once('case-for-notes', () => fx.openCase('TPI-CGK'))}/attachments`, body, contentType };
    },
    expect: [201, 404, 201, 404, 201, 404, 201, 403, 403, 403, 401],
  },
  {
    method: 'post',
    path: '/api/v1/cases/:id/attachments/:attachmentId/supersede',
    body: 'json',
    request: async (fx) => {
      const { caseId, attachmentId } = await fx.caseWithAttachment('TPI-CGK');
      return { path: `/api/v1/cases/${caseId}/attachments/${attachmentId}/supersede`, body: { reason: 'Foto buram.' } };
    },
    expect: [200, 404, 200, 404, 200, 404, 200, 403, 403, 403, 401],
  },
  {
    method: 'get',
    path: '/api/v1/cases/:id/attachments/:attachmentId/content',
    request: async (fx) => {
      const { caseId, attachmentId } = await fx.once('attachment', () => fx.caseWithAttachment('TPI-CGK'));
      return { path: `/api/v1/cases/${caseId}/attachments/${attachmentId}/content` };
    },
    expect: anyoneInOffice(200),
  },
  {
    method: 'post',
    path: '/api/v1/auth/logout',
    body: 'none',
    // A fresh token per caller: signing out revokes the token it is called with.
    request: async (fx, caller) => ({ path: '/api/v1/auth/logout', token: caller.token ? (await fx.freshUser(caller)).token : undefined }),
    expect: anyone(204),
  },

  // Rule sets: supervisors and admins read, admins change; re-screens are per office.
  { method: 'get', path: '/api/v1/rulesets', expect: supervisorsAndAdmins(200) },
  { method: 'get', path: '/api/v1/rulesets/:version', request: async () => ({ path: '/api/v1/rulesets/active' }), expect: supervisorsAndAdmins(200) },
  {
    method: 'post',
    path: '/api/v1/rulesets',
    body: 'json',
    // The active set is already stored, so uploading it again is a 200 that changes nothing.
    request: async (fx) => ({ path: '/api/v1/rulesets', body: { files: await fx.activeRuleSetFiles() } }),
    expect: adminsOnly(200),
  },
  // The active version cannot be published again nor (with nothing before it) rolled back: 409 once the role is allowed.
  { method: 'post', path: '/api/v1/rulesets/:version/publish', body: 'none', request: async () => ({ path: '/api/v1/rulesets/active/publish' }), expect: adminsOnly(409) },
  { method: 'post', path: '/api/v1/rulesets/:version/rollback', body: 'none', request: async () => ({ path: '/api/v1/rulesets/active/rollback' }), expect: adminsOnly(409) },
  {
    method: 'post',
    path: '/api/v1/rulesets/:version/backtest',
    body: 'json',
    request: async () => ({ path: '/api/v1/rulesets/active/backtest', body: { from: '2020-01-01', to: '2030-01-01' } }),
    expect: adminsOnly(201),
  },
  { method: 'get', path: '/api/v1/rulesets/:version/backtests', request: async () => ({ path: '/api/v1/rulesets/active/backtests' }), expect: supervisorsAndAdmins(200) },
  {
    method: 'get',
    path: '/api/v1/rulesets/:version/backtests/:id',
    request: async (fx) => ({ path: `/api/v1/rulesets/active/backtests/${await fx.backtest()}` }),
    expect: supervisorsAndAdmins(200),
  },
  {
    method: 'get',
    path: '/api/v1/rulesets/:version/rule-outcomes',
    request: async () => ({ path: '/api/v1/rulesets/active/rule-outcomes' }),
    expect: supervisorsAndAdmins(200),
  },
  {
    method: 'get',
    path: '/api/v1/rulesets/:version/fairness',
    request: async (fx) => {
      await fx.backtest();
      return { path: '/api/v1/rulesets/active/fairness' };
    },
    expect: supervisorsAndAdmins(200),
  },
  {
    method: 'post',
    path: '/api/v1/rulesets/:version/rescreen',
    body: 'json',
    request: async () => ({ path: '/api/v1/rulesets/active/rescreen', body: { kind: 'passport' } }),
    expect: supervisorsAndAdmins(202),
  },
  {
    method: 'get',
    path: '/api/v1/rulesets/:version/rescreens/:id',
    request: async (fx) => ({ path: `/api/v1/rulesets/active/rescreens/${await fx.rescreen('TPI-CGK')}` }),
    expect: [403, 403, 403, 403, 200, 404, 200, 200, 404, 200, 401],
  },

  // Audit trail.
  { method: 'get', path: '/api/v1/audit', expect: supervisorsAndAdmins(200) },
  { method: 'get', path: '/api/v1/audit/verify', expect: supervisorsAndAdmins(200) },

  // Postponement log: everyone reads their office's; officers and supervisors record.
  { method: 'get', path: '/api/v1/postponements/stats', expect: anyone(200) },
  { method: 'get', path: '/api/v1/postponements/fairness', expect: anyone(200) },
  { method: 'get', path: '/api/v1/postponements/export.csv', expect: anyone(200) },
  { method: 'get', path: '/api/v1/postponements/', expect: anyone(200) },
  {
    method: 'post',
    path: '/api/v1/postponements/',
    body: 'json',
    request: async () => ({
      path: '/api/v1/postponements',
      body: { kind: 'departure', officeCode: 'TPI-CGK', destinationCountry: 'KH', reasonCode: 'incomplete_documents', note: 'Bring the employment contract.', deadline: tomorrowInJakarta() },
    }),
    // Four eyes is every office's default (issue 23): there, a postponement outside the queue is a supervisor's to record.
    expect: [403, 403, 403, 403, 201, 403, 201, 403, 403, 403, 401],
  },
  {
    method: 'get',
    path: '/api/v1/postponements/:id',
    request: async (fx) => ({ path: `/api/v1/postponements/${await fx.postponement('TPI-CGK')}` }),
    expect: anyoneInOffice(200),
  },
  {
    method: 'post',
    path: '/api/v1/postponements/:id/follow-ups',
    body: 'json',
    request: async (fx) => ({ path: `/api/v1/postponements/${await fx.postponement('TPI-CGK')}/follow-ups`, body: { outcome: 'documents_completed' } }),
    expect: [201, 404, 201, 404, 201, 404, 201, 403, 403, 403, 401],
  },
  // Issue 23: the applicant's notice, its public verification, and re-review.
  {
    method: 'get',
    path: '/api/v1/postponements/:id/notice.pdf',
    request: async (fx) => ({ path: `/api/v1/postponements/${await fx.once('notice-postponement', () => fx.postponement('TPI-CGK'))}/notice.pdf` }),
    expect: anyoneInOffice(200),
  },
  {
    method: 'get',
    path: '/api/v1/notices/:code',
    request: async (fx) => ({ path: `/api/v1/notices/${await fx.once('notice-code', () => noticeCode(fx))}` }),
    expect: everyone(200),
  },
  {
    method: 'post',
    path: '/api/v1/postponements/:id/re-reviews',
    body: 'json',
    request: async (fx) => ({ path: `/api/v1/postponements/${await postponementOfApplication(fx, 'TPI-CGK')}/re-reviews`, body: { ground: 'documents_completed' } }),
    expect: [201, 404, 201, 404, 201, 404, 201, 403, 403, 403, 401],
  },

  // Issue 23: referrals to protection. Everyone reads their office's; deciders move them on; supervisors and admins export.
  { method: 'get', path: '/api/v1/referrals/summary', expect: anyone(200) },
  { method: 'get', path: '/api/v1/referrals/export.csv', expect: supervisorsAndAdmins(200) },
  { method: 'get', path: '/api/v1/referrals/', expect: anyone(200) },
  {
    method: 'get',
    path: '/api/v1/referrals/:id',
    request: async (fx) => ({ path: `/api/v1/referrals/${await fx.once('referral', () => referralIn(fx, 'TPI-CGK'))}` }),
    expect: anyoneInOffice(200),
  },
  {
    method: 'post',
    path: '/api/v1/referrals/:id/status',
    body: 'json',
    request: async (fx) => ({ path: `/api/v1/referrals/${await referralIn(fx, 'TPI-CGK')}/status`, body: { status: 'acknowledged' } }),
    expect: [200, 404, 200, 404, 200, 404, 200, 403, 403, 403, 401],
  },

  // Allowlists: the rules administrators' (admins); entries may carry a NIK, so only admins read them.
  { method: 'get', path: '/api/v1/allowlists/entries', expect: adminsOnly(200) },
  {
    method: 'post',
    path: '/api/v1/allowlists/entries',
    body: 'json',
    request: async () => ({
      path: '/api/v1/allowlists/entries',
      body: { partyType: 'travel_agency', name: `PT Umrah ${unique()}`, licence: `PPIU ${unique()}`, suppresses: ['trip.one-way-without-id-pmi'], source: 'Kemenag PPIU list', validUntil: '2099-12-31' },
    }),
    expect: adminsOnly(201),
  },
  {
    method: 'get',
    path: '/api/v1/allowlists/entries/:id',
    request: async (fx) => ({ path: `/api/v1/allowlists/entries/${await fx.once('allowlist', () => fx.allowlistEntry())}` }),
    expect: adminsOnly(200),
  },
  {
    method: 'post',
    path: '/api/v1/allowlists/entries/:id/revoke',
    body: 'json',
    request: async (fx) => ({ path: `/api/v1/allowlists/entries/${await fx.allowlistEntry()}/revoke`, body: { reason: 'licence suspended' } }),
    expect: adminsOnly(200),
  },

  // Watchlists: supervisors and admins read the lists, anyone signed in reads one entry (decisions cite them), admins change them.
  { method: 'get', path: '/api/v1/watchlists/', expect: supervisorsAndAdmins(200) },
  { method: 'get', path: '/api/v1/watchlists/entries', expect: supervisorsAndAdmins(200) },
  {
    method: 'post',
    path: '/api/v1/watchlists/entries',
    body: 'json',
    request: async () => ({ path: '/api/v1/watchlists/entries', body: { list: 'agency', name: `PT Matrix ${unique()}`, source: 'Polri referral' } }),
    expect: adminsOnly(201),
  },
  {
    method: 'get',
    path: '/api/v1/watchlists/entries/:id',
    request: async (fx) => ({ path: `/api/v1/watchlists/entries/${await fx.once('entry', () => fx.watchlistEntry())}` }),
    expect: anyone(200),
  },
  {
    method: 'patch',
    path: '/api/v1/watchlists/entries/:id',
    body: 'json',
    request: async (fx) => ({ path: `/api/v1/watchlists/entries/${await fx.watchlistEntry()}`, body: { note: 'checked again' } }),
    expect: adminsOnly(200),
  },
  {
    method: 'post',
    path: '/api/v1/watchlists/entries/:id/revoke',
    body: 'json',
    request: async (fx) => ({ path: `/api/v1/watchlists/entries/${await fx.watchlistEntry()}/revoke`, body: { reason: 'referral withdrawn' } }),
    expect: adminsOnly(200),
  },
  {
    method: 'post',
    path: '/api/v1/watchlists/import',
    body: 'csv',
    request: async () => ({ path: '/api/v1/watchlists/import?dryRun=true', contentType: 'text/csv', body: `list,name,source\nagency,PT Import ${unique()},Polri referral\n` }),
    expect: adminsOnly(200),
  },

  // Issue 20: the subject-of-interest list. Supervisors and admins keep their office's entries (headquarters: every office's); anyone signed in opens one.
  { method: 'get', path: '/api/v1/subjects/entries', expect: supervisorsAndAdmins(200) },
  {
    method: 'post',
    path: '/api/v1/subjects/entries',
    body: 'json',
    request: async () => ({ path: '/api/v1/subjects/entries', body: { fullName: `Subjek ${unique()}`, dateOfBirth: '1990-01-01', reason: 'Ditunda', source: 'TPI-CGK', barUntil: halfYearAhead() } }),
    expect: supervisorsAndAdmins(201),
  },
  {
    method: 'get',
    path: '/api/v1/subjects/entries/:id',
    request: async (fx) => ({ path: `/api/v1/subjects/entries/${await fx.once('subject', () => subjectEntry(fx, 'TPI-CGK'))}` }),
    expect: anyone(200),
  },
  {
    method: 'patch',
    path: '/api/v1/subjects/entries/:id',
    body: 'json',
    request: async (fx) => ({ path: `/api/v1/subjects/entries/${await subjectEntry(fx, 'TPI-CGK')}`, body: { note: 'checked again' } }),
    expect: [403, 403, 403, 403, 200, 404, 200, 200, 404, 200, 401],
  },
  {
    method: 'post',
    path: '/api/v1/subjects/entries/:id/revoke',
    body: 'json',
    request: async (fx) => ({ path: `/api/v1/subjects/entries/${await subjectEntry(fx, 'TPI-CGK')}/revoke`, body: { reason: 'bar lifted' } }),
    expect: [403, 403, 403, 403, 200, 404, 200, 200, 404, 200, 401],
  },
  {
    method: 'post',
    path: '/api/v1/subjects/import',
    body: 'csv',
    request: async () => ({ path: '/api/v1/subjects/import?dryRun=true', contentType: 'text/csv', body: `fullName,dateOfBirth,reason,source,barUntil\nSubjek ${unique()},1990-01-01,Ditunda,TPI-CGK,${halfYearAhead()}\n` }),
    expect: supervisorsAndAdmins(200),
  },
];

/** A bar's end half a year from now (a bar may last at most 5 years). */
const halfYearAhead = () => new Date(Date.now() + 180 * 86_400_000).toISOString().slice(0, 10);

/** A subject-of-interest entry of the office (a new person each time), added by its supervisor. */
async function subjectEntry(fx: Fixtures, officeCode: string): Promise<string> {
  const res = await request(fx.ctx.app)
    .post('/api/v1/subjects/entries')
    .set(bearer(fx.user('supervisor', officeCode).token))
    .send({ fullName: `Subjek ${unique()}`, dateOfBirth: '1990-01-01', reason: 'Ditunda', source: officeCode, barUntil: halfYearAhead() });
  if (res.status !== 201) throw new Error(`fixture subject entry failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/** Sends one built request as a caller. */
export function send(ctx: TestContext, endpoint: Endpoint, caller: Caller, built: BuiltRequest) {
  let req = request(ctx.app)[endpoint.method](built.path);
  const token = built.token ?? caller.token;
  if (token) req = req.set(bearer(token));
  if (built.contentType) req = req.set('Content-Type', built.contentType);
  return built.body === undefined ? req : req.send(built.body as object);
}

import { japanHoliday } from '../applications/payloads';
import { api, bearer, createTestContext, type TestContext } from '../support/harness';
import { readRuleSetDirectory } from '../../src/rulesets/loading';
import { defaultFiles, edit, eventually, stricterFiles, uploadRuleSet } from './support';

describe('rule-set lifecycle: drafts, publish, rollback', () => {
  let ctx: TestContext;
  let second: TestContext;
  let admin: string;
  let supervisor: string;
  let officer: string;

  beforeAll(async () => {
    ctx = await createTestContext();
    // A second running app instance (its own pool, listener and screener) on the same database.
    second = await createTestContext({}, { databaseName: ctx.databaseName });
    admin = await ctx.tokenFor('admin', 'HQ');
    supervisor = await ctx.tokenFor('supervisor', 'HQ');
    officer = await ctx.tokenFor('officer', 'TPI-CGK');
  });
  afterAll(async () => {
    await second?.close();
    await ctx?.close();
  });

  const get = (path: string, token = admin, on = ctx) => api(on).get(`/api/v1${path}`).set(bearer(token));
  const post = (path: string, body: object = {}, token = admin, on = ctx) => api(on).post(`/api/v1${path}`).set(bearer(token)).send(body);
  const cambodiaHoliday = () => {
    const body = japanHoliday();
    body.trip.destinationCountry = 'KH';
    return body;
  };
  const activeOf = async () => (await get('/rulesets')).body.active as string;

  it('given a fresh database, when the app starts, then the rule-set directory is stored as the active version', async () => {
    const res = await get('/rulesets');
    expect(res.status).toBe(200);
    expect(res.body.active).toBe(ctx.screener.ruleSetVersion);
    expect(res.body.items).toEqual([expect.objectContaining({ version: ctx.screener.ruleSetVersion, status: 'active', source: 'directory', name: 'default' })]);

    const detail = await get(`/rulesets/${res.body.active}`);
    expect(detail.status).toBe(200);
    expect(Object.keys(detail.body.files)).toEqual(expect.arrayContaining(['manifest.yaml', 'rules/destination.yaml', 'lists/lure-jobs.txt', 'tests/rules.yaml']));
    expect(detail.body.files['manifest.yaml']).toBe(readRuleSetDirectory('rules/default')['manifest.yaml']);
    expect(detail.body.activations).toEqual([expect.objectContaining({ action: 'initial', version: res.body.active })]);
    expect((await get('/rulesets/active')).body.version).toBe(res.body.active);
  });

  it('given a draft with problems in three files, when uploaded, then 422 lists every problem as file:line and nothing is stored', async () => {
    let files = edit(defaultFiles(), 'manifest.yaml', '  review: 40\n', '  review: forty\n');
    files = edit(files, 'rules/destination.yaml', 'when: { field: derived.destinationCountry, eq: KH }', 'when: { field: derived.destinationCounty, eq: KH }');
    files = edit(files, 'rules/trip.yaml', '    weight:', '    wieght:');
    const before = (await get('/rulesets')).body.items.length;

    const res = await post('/rulesets', { files });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('UNPROCESSABLE');
    const texts: string[] = res.body.error.details.map((d: { text: string }) => d.text);
    expect(texts).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^manifest\.yaml:17: thresholds\.review: /),
        expect.stringMatching(/^rules\/destination\.yaml:15: rule destination\.cambodia: unknown field path "derived\.destinationCounty"/),
        expect.stringMatching(/^rules\/trip\.yaml:\d+: unknown key "wieght"/),
      ]),
    );
    for (const detail of res.body.error.details) {
      expect(detail).toEqual({ file: expect.any(String), line: expect.any(Number), message: expect.any(String), text: `${detail.file}:${detail.line}: ${detail.message}` });
    }
    expect(res.body.error.message).toMatch(new RegExp(`^The rule set has ${texts.length} problems`));
    expect((await get('/rulesets')).body.items).toHaveLength(before);
  });

  it('given a draft whose own rule tests fail, when uploaded, then 422 names the failing case by file:line', async () => {
    const files: Record<string, string> = { ...stricterFiles(), 'tests/bases.yaml': readRuleSetDirectory('rules/default')['tests/bases.yaml']! };
    files['tests/cambodia.yaml'] = [
      'cases:',
      '  - name: a holiday to Cambodia stays clear',
      '    base: holiday',
      '    patch: { trip: { destinationCountry: KH } }',
      '    expect: { outcome: CLEAR }',
    ].join('\n');
    const res = await post('/rulesets', { files });
    expect(res.status).toBe(422);
    expect(res.body.error.details.map((d: { text: string }) => d.text)).toContainEqual(expect.stringMatching(/^tests\/cambodia\.yaml:2: a holiday to Cambodia stays clear: expected outcome CLEAR, got REVIEW/));
  });

  it('given paths outside the set or a body without files, when uploaded, then 400 naming the field', async () => {
    const res = await post('/rulesets', { files: { '../etc/passwd.yaml': 'x' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect((await post('/rulesets', {})).status).toBe(400);
  });

  it('given a valid draft, when uploaded, then 201 as a draft with its files; the same content again answers 200 with the same version', async () => {
    const files = stricterFiles();
    const first = await post('/rulesets', { files, note: 'Cambodia alone is reviewed' });
    expect(first.status).toBe(201);
    const rules = (await get('/rulesets/active')).body.ruleCount;
    expect(rules).toBeGreaterThan(0);
    expect(first.body).toMatchObject({ status: 'draft', source: 'upload', created: true, note: 'Cambodia alone is reviewed', ruleCount: rules });
    expect(first.body.version).toMatch(/^rs-[0-9a-f]{16}$/);
    expect(first.body.version).not.toBe(ctx.screener.ruleSetVersion);
    expect(first.headers.location).toBe(`/api/v1/rulesets/${first.body.version}`);

    const again = await post('/rulesets', { files: { ...files, 'manifest.yaml': `# a comment changes nothing\n${files['manifest.yaml']}` } });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ version: first.body.version, created: false });
    expect((await get(`/rulesets/${first.body.version}`)).body.files['rules/destination.yaml']).toBe(files['rules/destination.yaml']);
  });

  it('given roles other than admin, when uploading or publishing, then 403; officers may not read rule sets', async () => {
    const version = await uploadRuleSet(ctx, admin, stricterFiles());
    expect((await post(`/rulesets/${version}/publish`, {}, supervisor)).status).toBe(403);
    expect((await post('/rulesets', { files: stricterFiles() }, supervisor)).status).toBe(403);
    expect((await get('/rulesets', officer)).status).toBe(403);
    expect((await get('/rulesets', supervisor)).status).toBe(200);
    expect(await activeOf()).toBe(ctx.screener.ruleSetVersion);
  });

  it('given two running app instances on one database, when an admin publishes a draft on the first, then the second screens with the new version', async () => {
    const original = await activeOf();
    expect(second.screener.ruleSetVersion).toBe(original);
    const before = await post('/departure-checks', cambodiaHoliday(), officer, second);
    expect(before.body.decision).toMatchObject({ outcome: 'CLEAR', ruleSetVersion: original });

    const version = await uploadRuleSet(ctx, admin, stricterFiles());
    const published = await post(`/rulesets/${version}/publish`);
    expect(published.status).toBe(200);
    expect(published.body).toEqual({ active: version, previous: original });
    // The publishing instance has switched before answering; the other follows its notification.
    expect(ctx.screener.ruleSetVersion).toBe(version);
    expect(await eventually(() => second.screener.ruleSetVersion, (v) => v === version)).toBe(version);

    const after = await post('/departure-checks', cambodiaHoliday(), officer, second);
    expect(after.status).toBe(201);
    expect(after.body.decision).toMatchObject({ outcome: 'REVIEW', ruleSetVersion: version });
    expect(after.body.caseId).toEqual(expect.any(String));

    const list = await get('/rulesets');
    expect(list.body.active).toBe(version);
    expect(list.body.items.find((i: { version: string }) => i.version === original).status).toBe('retired');
    expect((await post(`/rulesets/${version}/publish`)).status).toBe(409);
    const audit = await ctx.database.pool.query("select before, after from audit_log where action = 'ruleset.published' and target_id = $1", [version]);
    expect(audit.rows).toEqual([{ before: { active: original }, after: { active: version } }]);
  });

  it('given a published version, when it is rolled back, then the version before it is active again in both instances, and there is nothing further to roll back to', async () => {
    const published = await activeOf();
    const detail = await get(`/rulesets/${published}`);
    const original = detail.body.activations.find((a: { action: string; version: string }) => a.action === 'publish' && a.version === published).previousVersion;

    const res = await post(`/rulesets/${published}/rollback`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ active: original, rolledBack: published });
    expect(ctx.screener.ruleSetVersion).toBe(original);
    expect(await eventually(() => second.screener.ruleSetVersion, (v) => v === original)).toBe(original);
    const screened = await post('/departure-checks', cambodiaHoliday(), officer, second);
    expect(screened.body.decision).toMatchObject({ outcome: 'CLEAR', ruleSetVersion: original });

    const again = await post(`/rulesets/${published}/rollback`);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/not the active one/);
    const bottom = await post(`/rulesets/${original}/rollback`);
    expect(bottom.status).toBe(409);
    expect(bottom.body.error.message).toMatch(/nothing to roll back to/);
  });

  it('given A, then B, then C published, when C and then B are rolled back, then A is active (rollback undoes publishes in order)', async () => {
    const a = await activeOf();
    const b = await uploadRuleSet(ctx, admin, edit(defaultFiles(), 'manifest.yaml', '  review: 40\n', '  review: 35\n'));
    const c = await uploadRuleSet(ctx, admin, edit(defaultFiles(), 'manifest.yaml', '  review: 40\n', '  review: 30\n'));
    expect((await post(`/rulesets/${b}/publish`)).status).toBe(200);
    expect((await post(`/rulesets/${c}/publish`)).status).toBe(200);
    expect((await post(`/rulesets/${c}/rollback`)).body.active).toBe(b);
    expect((await post(`/rulesets/${b}/rollback`)).body.active).toBe(a);
    expect(await eventually(() => second.screener.ruleSetVersion, (v) => v === a)).toBe(a);
  });

  it('given an unknown version, when published, then 404; a malformed one is 400', async () => {
    expect((await post('/rulesets/rs-0000000000000000/publish')).status).toBe(404);
    expect((await post('/rulesets/latest/publish')).status).toBe(400);
  });
});

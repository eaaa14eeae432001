/**
 * Rule patterns run on a linear-time engine (RE2, issue 19 finding 3): a pattern that makes a
 * backtracking engine take exponential time is harmless, and what RE2 cannot run (backreferences,
 * lookaround) is refused at upload with file and line.
 */
import { cambodiaLure } from '../applications/payloads';
import { api, bearer, createTestContext, type TestContext } from '../support/harness';
import { defaultFiles, uploadRuleSet } from './support';

/** A rule file with one `matches` rule on the job title; the pattern sits on line 9. */
const ruleFile = (pattern: string, flags = '') =>
  [
    'rules:',
    '  - id: job.title-pattern',
    '    title: { id: Pola jabatan, en: Job title pattern }',
    '    reason: { id: Jabatan cocok dengan pola, en: The job title matches the pattern }',
    '    appliesTo: [departure]',
    '    weight: 1',
    '    source: test',
    '    when:',
    `      matches: { field: employment.jobTitle, pattern: '${pattern}'${flags ? `, flags: ${flags}` : ''} }`,
    '',
  ].join('\n');

describe('rule regular expressions run on RE2', () => {
  let ctx: TestContext;
  let admin: string;
  let officer: string;

  beforeAll(async () => {
    ctx = await createTestContext();
    admin = await ctx.tokenFor('admin', 'HQ');
    officer = await ctx.tokenFor('officer', 'TPI-CGK');
  });
  afterAll(() => ctx?.close());

  const upload = (files: Record<string, string>) => api(ctx).post('/api/v1/rulesets').set(bearer(admin)).send({ files });
  const screen = (jobTitle: string) => {
    const body = cambodiaLure();
    body.employment.jobTitle = jobTitle;
    return api(ctx).post('/api/v1/departure-checks').set(bearer(officer)).send(body);
  };
  const hitIds = (res: { body: { decision: { hits: { ruleId: string }[] } } }) => res.body.decision.hits.map((h) => h.ruleId);

  it('given a published rule whose pattern is ^(a|a)+$, when a job title of 30 a and a ! is screened, then the screening completes (and the rule still matches what it should)', async () => {
    const version = await uploadRuleSet(ctx, admin, { ...defaultFiles(), 'rules/pattern.yaml': ruleFile('^(a|a)+$') });
    expect((await api(ctx).post(`/api/v1/rulesets/${version}/publish`).set(bearer(admin))).status).toBe(200);

    // A backtracking engine tries 2^30 ways to split the a's before it gives up on the "!".
    const evil = await screen(`${'a'.repeat(30)}!`);
    expect(evil.status).toBe(201);
    expect(evil.body.decision.ruleSetVersion).toBe(version);
    expect(hitIds(evil)).not.toContain('job.title-pattern');

    const plain = await screen('a'.repeat(30));
    expect(plain.status).toBe(201);
    expect(hitIds(plain)).toContain('job.title-pattern');
  });

  it.each([
    ['a backreference', '(a)\\1', /^rules\/pattern\.yaml:9: rule job\.title-pattern: .*backreference \\1 is not supported: rule patterns run on a linear-time engine \(RE2 syntax\)/],
    ['a lookahead', '^(?=.*admin).*online', /^rules\/pattern\.yaml:9: rule job\.title-pattern: .*lookahead \(\?= is not supported/],
    ['a negative lookahead', '^(?!tour).*', /^rules\/pattern\.yaml:9: rule job\.title-pattern: .*lookahead \(\?! is not supported/],
    ['a lookbehind', '(?<=customer )service', /^rules\/pattern\.yaml:9: rule job\.title-pattern: .*lookbehind \(\?<= is not supported/],
    ['a syntax error', '([a-z', /^rules\/pattern\.yaml:9: rule job\.title-pattern: .*invalid regular expression \(RE2 syntax\): missing closing \]/],
  ])('given a rule whose pattern uses %s, when the rule set is uploaded, then 422 names the file and line and nothing is stored', async (_what, pattern, text) => {
    const before = (await api(ctx).get('/api/v1/rulesets').set(bearer(admin))).body.items.length;
    const res = await upload({ ...defaultFiles(), 'rules/pattern.yaml': ruleFile(pattern) });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('UNPROCESSABLE');
    expect(res.body.error.details).toEqual([expect.objectContaining({ file: 'rules/pattern.yaml', line: 9, text: expect.stringMatching(text) })]);
    expect((await api(ctx).get('/api/v1/rulesets').set(bearer(admin))).body.items).toHaveLength(before);
  });

  it('given the flags i, m, s and u, when a rule set uses them, then it is accepted (u changes nothing: RE2 reads code points)', async () => {
    const res = await upload({ ...defaultFiles(), 'rules/pattern.yaml': ruleFile('^customer.service$', 'imsu') });
    expect(res.status).toBe(201);
  });
});

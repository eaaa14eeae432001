/**
 * The officer console in a real browser (Debian's Chromium driven by playwright-core) against the
 * real app, PostgreSQL and Redis. Screenshots of the main pages land in test/screenshots/.
 */
import { readFileSync, readdirSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { api, bearer, createTestContext, type TestContext } from '../support/harness';
import { cambodiaLure, passportForWorkInCambodia } from '../applications/payloads';
import { closeServer, fillForm, launchChromium, listen, officeScreen, screenshot } from './browser';

const PUBLIC = path.resolve(__dirname, '../../src/console/public');

let ctx: TestContext;
let server: Server | undefined;
let origin: string;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  ctx = await createTestContext();
  ({ server, origin } = await listen(ctx));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await closeServer(server);
  await ctx?.close();
});

afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
});

interface Visit {
  page: Page;
  /** Every URL the page asked for, to prove nothing left this service. */
  requests: string[];
  consoleErrors: string[];
}

async function openConsole(): Promise<Visit> {
  const context = await officeScreen(browser);
  contexts.push(context);
  const page = await context.newPage();
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
  page.setDefaultTimeout(30_000);
  await page.goto(`${origin}/console`);
  await page.locator('#username').waitFor();
  return { page, requests, consoleErrors };
}

async function logIn(page: Page, user: { username: string; password: string }): Promise<void> {
  await page.fill('#username', user.username);
  await page.fill('#password', user.password);
  await page.click('#login-submit');
  await page.locator('#logout').waitFor();
}

const text = async (page: Page, selector: string) => ((await page.locator(selector).first().textContent()) ?? '').trim();

/** The current calendar month in Asia/Jakarta, as the statistics bucket it (YYYY-MM). */
const jakartaMonth = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);

describe('officer console', () => {
  it('given a checkpoint with four-eyes approval, when an officer screens and postpones the Cambodia lure, then a supervisor approves it and the statistics count it', async () => {
    // TPI-CGK does not require approval by default (offices.requires_postponement_approval); switch it on so the supervisor's part is real.
    const admin = await ctx.tokenFor('admin', 'HQ');
    expect((await api(ctx).patch('/api/v1/offices/TPI-CGK').set(bearer(admin)).send({ requiresPostponementApproval: true })).status).toBe(200);
    const officer = await ctx.userFor('officer', 'TPI-CGK');
    const supervisor = await ctx.userFor('supervisor', 'TPI-CGK');

    // Officer: log in (Indonesian by default).
    const officerVisit = await openConsole();
    const page = officerVisit.page;
    expect(await page.getAttribute('html', 'lang')).toBe('id');
    expect(await text(page, 'h1')).toBe('Masuk ke Saring');
    await screenshot(page, '01-login');
    await logIn(page, officer);
    expect(await text(page, 'h1')).toBe('Pemeriksaan keberangkatan');

    // Client-side validation: an empty form is refused with field-path errors, nothing is sent.
    await page.click('#submit');
    await page.locator('#error-summary').waitFor();
    expect(await text(page, '#error-summary h2')).toBe('Periksa isian berikut');
    expect(await text(page, '#f-traveller-nik-error')).toBe('Wajib diisi.');
    expect(await page.getAttribute('[name="traveller.nik"]', 'aria-invalid')).toBe('true');
    await screenshot(page, '02-departure-validation');

    // The server's 400 details land beside the field: a phone number only the server can judge.
    await fillForm(page, '#departure-form', { ...cambodiaLure(), traveller: { ...cambodiaLure().traveller, phone: '0812 3456' } });
    await page.click('#submit');
    await page.locator('#error-summary h2', { hasText: 'Server menolak isian berikut' }).waitFor();
    expect(await text(page, '#f-traveller-phone-error')).toMatch(/valid phone number/);
    expect((await api(ctx).get('/api/v1/applications').set(bearer(officer.token))).body.items).toHaveLength(0);

    // The textbook lure, as the API tests send it: POSTPONE_RECOMMENDED at once, reasons in Indonesian with evidence.
    await fillForm(page, '#departure-form', cambodiaLure());
    await page.click('#submit');
    await page.locator('#decision [data-outcome]').waitFor();
    expect(await page.getAttribute('#decision [data-outcome]', 'data-outcome')).toBe('POSTPONE_RECOMMENDED');
    expect(await text(page, '#decision [data-outcome]')).toBe('Penundaan direkomendasikan');
    const listed = await api(ctx).get('/api/v1/applications').set(bearer(officer.token));
    expect(listed.body.items).toHaveLength(1);
    const stored = await api(ctx).get(`/api/v1/applications/${listed.body.items[0].id}`).set(bearer(officer.token));
    const hits: { ruleId: string; reason: { id: string; en: string }; evidence: object }[] = stored.body.decision.hits;
    expect(hits.map((hit) => hit.ruleId)).toEqual(expect.arrayContaining(['destination.cambodia', 'job.lure-title', 'recruitment.social-media']));
    expect(await text(page, '#decision [data-score]')).toBe(String(stored.body.decision.score));
    expect(await page.locator('#decision li.hit').count()).toBe(hits.length);
    for (const hit of hits) {
      const shown = page.locator(`#decision li.hit[data-rule="${hit.ruleId}"]`);
      expect(((await shown.locator('.reason').textContent()) ?? '').trim()).toBe(hit.reason.id);
      expect(await shown.locator('[data-evidence]').count()).toBe(Object.keys(hit.evidence).length);
    }
    await screenshot(page, '03-decision-id');

    // English: every label and reason switches, the filled form stays.
    await page.click('#language-switch');
    await page.locator('h1', { hasText: 'Departure check' }).waitFor();
    const cambodia = hits.find((hit) => hit.ruleId === 'destination.cambodia')!;
    expect(await text(page, '#decision li.hit[data-rule="destination.cambodia"] .reason')).toBe(cambodia.reason.en);
    expect(await page.inputValue('[name="traveller.fullName"]')).toBe(cambodiaLure().traveller.fullName);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await screenshot(page, '04-decision-en');
    await page.click('#language-switch');
    await page.locator('h1', { hasText: 'Pemeriksaan keberangkatan' }).waitFor();

    // Next case: the queue hands this officer the lure's case.
    await page.click('#next-case');
    await page.locator('h1', { hasText: 'Rina Marlina' }).waitFor();
    expect(await text(page, '.decision-head [data-state]')).toBe('Sedang ditangani');
    await screenshot(page, '05-case-claimed');

    // Postpone with a reason code and the note the traveller is told; the decision needs approval.
    await page.click('#submit-decision');
    expect(await text(page, '#action-error')).toBe('Wajib diisi.');
    await page.check('#action-postpone');
    await page.selectOption('#reasonCode', 'suspected_trafficking_victim');
    await page.click('#submit-decision');
    expect(await text(page, '#note-error')).toBe('Penundaan memerlukan catatan yang disampaikan kepada pemohon.');
    await page.fill('#note', 'Keberangkatan ditunda: tawaran kerja di Phnom Penh dengan visa wisata, diduga penipuan daring.');
    await page.click('#submit-decision');
    await page.locator('.decision-head [data-state="pending_approval"]').waitFor();
    expect(await text(page, '#case-decision [data-action]')).toBe('Tunda');
    await screenshot(page, '06-case-pending-approval');

    // Supervisor: the board shows the waiting approval; the statistics do not count it yet.
    const supervisorVisit = await openConsole();
    const board = supervisorVisit.page;
    await logIn(board, supervisor);
    await board.locator('#queue-board').waitFor();
    expect(await text(board, '#queue-board tr[data-office="TPI-CGK"] [data-count="pendingApproval"]')).toBe('1');
    await screenshot(board, '07-queue-board');

    await board.click('#nav-stats');
    await board.locator('#stats-total').waitFor();
    const before = Number(await board.getAttribute('#stats-total', 'data-total'));

    // Approve from the case page.
    await board.click('#nav-queue');
    await board.locator('#case-list tr[data-case] a').first().click();
    await board.locator('#approve').waitFor();
    await screenshot(board, '08-case-approval');
    await board.click('#approve');
    await board.locator('.decision-head [data-state="decided"]').waitFor();
    expect(await text(board, '.message.ok')).toBe('Penundaan disetujui dan tercatat.');

    // The statistic went up by exactly one, in this month's TPI-CGK bar and under Cambodia.
    await board.click('#nav-stats');
    await board.locator('#stats-total').waitFor();
    expect(Number(await board.getAttribute('#stats-total', 'data-total'))).toBe(before + 1);
    expect(await board.locator(`#stats-monthly-table td[data-month="${jakartaMonth()}"][data-office="TPI-CGK"]`).textContent()).toBe('1');
    expect(await text(board, '#stats-destinations li[data-key="KH"] .num')).toBe('1');
    expect(await board.locator('svg.chart rect').count()).toBeGreaterThan(0);
    await screenshot(board, '09-statistics');

    // CSV export carries the record.
    const [download] = await Promise.all([board.waitForEvent('download'), board.click('#export-csv')]);
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines).toHaveLength(before + 2);
    expect(lines.at(-1)).toContain('TPI-CGK');

    // Nothing was loaded from anywhere but this service, and no script failed.
    for (const visit of [officerVisit, supervisorVisit]) {
      expect(visit.requests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:'))).toEqual([]);
      expect(visit.consoleErrors.filter((message) => !/status of 4\d\d/.test(message))).toEqual([]);
    }
  }, 180_000);

  it('given a passport officer, when the urgent first passport for a job in Cambodia is entered, then it is flagged with Indonesian reasons', async () => {
    const passportOfficer = await ctx.userFor('passport_officer', 'KANIM-KARAWANG');
    const { page } = await openConsole();
    await logIn(page, passportOfficer);
    expect(await text(page, 'h1')).toBe('Permohonan paspor');
    await fillForm(page, '#passport-form', passportForWorkInCambodia());
    await page.click('#submit');
    await page.locator('#decision [data-outcome]').waitFor();
    const outcome = await page.getAttribute('#decision [data-outcome]', 'data-outcome');
    expect(['REVIEW', 'POSTPONE_RECOMMENDED']).toContain(outcome);
    expect(await page.locator('#claim-case').count()).toBe(1);
    const firstReason = await text(page, '#decision li.hit .reason');
    expect(firstReason.length).toBeGreaterThan(0);
    await screenshot(page, '10-passport-decision');
  }, 90_000);

  it('given a signed-in officer whose token is revoked, when they act, then they are sent back to the login page with a notice', async () => {
    const officer = await ctx.userFor('officer', 'TPI-CGK');
    const { page } = await openConsole();
    await logIn(page, officer);
    // A password change bumps the token version: the console's token stops working.
    const changed = await api(ctx).post('/api/v1/auth/password').set(bearer(officer.token)).send({ currentPassword: officer.password, newPassword: 'a-new-long-password' });
    expect(changed.status).toBe(204);
    await page.click('#next-case');
    await page.locator('#login-feedback .message.error').waitFor();
    expect(await text(page, '#login-feedback')).toBe('Sesi Anda telah berakhir. Silakan masuk kembali.');
    expect(await page.locator('#logout').count()).toBe(0);
    // The token lived only in memory: nothing in storage or cookies.
    const stored = await page.evaluate<string>('JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie');
    expect(stored).not.toMatch(/ey[A-Za-z0-9_-]{10,}\./);
    await screenshot(page, '11-session-expired');

    // Logging in again returns to where the officer was.
    await logIn(page, { username: officer.username, password: 'a-new-long-password' });
    expect(await text(page, 'h1')).toBe('Pemeriksaan keberangkatan');
    await page.click('#logout');
    await page.locator('#login-feedback .message.ok').waitFor();
    expect(await text(page, '#login-feedback')).toBe('Anda telah keluar.');
  }, 90_000);

  it('given only a keyboard, when an officer signs in and tabs through the page, then every control is a real control, reached in reading order', async () => {
    const officer = await ctx.userFor('officer', 'TPI-CGK');
    const { page } = await openConsole();
    const focused = () => page.evaluate<{ id: string; tag: string }>('({ id: document.activeElement.id, tag: document.activeElement.tagName })');
    expect((await focused()).id).toBe('username');
    await page.keyboard.type(officer.username);
    await page.keyboard.press('Tab');
    expect((await focused()).id).toBe('password');
    await page.keyboard.type(officer.password);
    await page.keyboard.press('Enter');
    await page.locator('#logout').waitFor();

    // From the first stop of the page (the skip link) onwards.
    await page.focus('#skip-link');
    const order: string[] = ['skip-link'];
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      const { id, tag } = await focused();
      expect(['A', 'BUTTON', 'INPUT', 'SELECT', 'TEXTAREA']).toContain(tag);
      order.push(id);
    }
    const expected = ['skip-link', 'nav-departure', 'next-case', 'language-switch', 'logout', 'f-traveller-fullName', 'f-traveller-nik'];
    expect(order.filter((id) => expected.includes(id))).toEqual(expected);

    // Submitting the empty form from the keyboard moves focus to the list of problems.
    await page.focus('#submit');
    await page.keyboard.press('Enter');
    await page.locator('#error-summary').waitFor();
    expect((await focused()).id).toBe('error-summary');
  }, 90_000);

  it('given the two languages, then both have the same messages and every message the scripts use exists', async () => {
    const { page } = await openConsole();
    // A string, so the test's compiler leaves the browser's own dynamic import alone.
    const keys = await page.evaluate<{ id: string[]; en: string[] }>(
      "import('./js/messages.js').then(({ messages }) => ({ id: Object.keys(messages.id).sort(), en: Object.keys(messages.en).sort() }))",
    );
    expect(keys.id).toEqual(keys.en);
    // Every quoted 'prefix.rest' whose prefix is a message prefix (nav., case., ...) is a key the scripts use.
    const prefixes = new Set(keys.id.map((key) => key.split('.')[0]));
    const scripts = readdirSync(path.join(PUBLIC, 'js'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js') && !file.endsWith('messages.js'));
    const used = new Set<string>();
    for (const file of scripts) {
      const source = readFileSync(path.join(PUBLIC, 'js', file), 'utf8');
      for (const match of source.matchAll(/'([a-z]+)\.([\w.]+)'/gi)) if (prefixes.has(match[1]!)) used.add(`${match[1]}.${match[2]}`);
    }
    expect(used.size).toBeGreaterThan(100);
    expect([...used].filter((key) => !keys.id.includes(key))).toEqual([]);
  }, 90_000);
});

describe('console assets', () => {
  it('given /console, then it redirects to /console/ and serves the page with its own strict CSP while the API keeps its own', async () => {
    const bare = await api(ctx).get('/console');
    expect(bare.status).toBe(301);
    expect(bare.headers.location).toBe('/console/');

    const page = await api(ctx).get('/console/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<script type="module" src="js/main.js">');
    const policy = page.headers['content-security-policy'] as string;
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("style-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|https:/);

    const apiPolicy = (await api(ctx).get('/api/v1/me')).headers['content-security-policy'] as string;
    expect(apiPolicy).toBeDefined();
    expect(apiPolicy).not.toEqual(policy);

    const reference = await api(ctx).get('/console/reference.json');
    expect(reference.status).toBe(200);
    expect(reference.body.reasonCodes.map((r: { code: string }) => r.code)).toContain('suspected_trafficking_victim');
    expect(reference.body.fields.departure.find((f: { path: string }) => f.path === 'purpose.visaType').values).toContain('tourist');
    expect(reference.body.fields.departure.some((f: { path: string }) => f.path.startsWith('derived.'))).toBe(false);

    expect((await api(ctx).get('/console/js/nope.js')).status).toBe(404);
  });
});

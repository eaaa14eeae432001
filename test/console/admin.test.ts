/**
 * The console's pages for lists, links, rule sets and watchlists, in a real browser against the
 * real endpoints. Screenshots land in test/screenshots/.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { api, bearer, createTestContext, type TestContext } from '../support/harness';
import { cambodiaLure, japanHoliday } from '../applications/payloads';
import { closeServer, launchChromium, listen, officeScreen, screenshot } from './browser';
import { nikFor } from '../support/nik';

let ctx: TestContext;
let server: Server | undefined;
let origin: string;
let browser: Browser;
let scratch: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  ctx = await createTestContext();
  // The batch upload needs a worker: like `npm start`, this process works the jobs (on BullMQ when REDIS_URL is set).
  await ctx.jobs.startWorking();
  ({ server, origin } = await listen(ctx));
  browser = await launchChromium();
  scratch = mkdtempSync(path.join(tmpdir(), 'saring-console-'));
});

afterAll(async () => {
  await browser?.close();
  await closeServer(server);
  await ctx?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
});

/** Opens the console at a page (hash route); the login comes first and then returns there. */
async function signedIn(user: { username: string; password: string }, route = ''): Promise<Page> {
  const context = await officeScreen(browser);
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(`${origin}/console/${route}`);
  await page.fill('#username', user.username);
  await page.fill('#password', user.password);
  await page.click('#login-submit');
  await page.locator('#logout').waitFor();
  return page;
}

const text = async (page: Page, selector: string) => ((await page.locator(selector).first().textContent()) ?? '').trim();

/** A distinct traveller with the lure's recruiter. */
function lureFor(n: number) {
  const body = cambodiaLure();
  body.traveller = { ...body.traveller, fullName: `Traveller ${n}`, nik: nikFor(body.traveller, 7000 + n, '320123'), passportNumber: `C12345${String(n).padStart(2, '0')}` };
  return body;
}

describe('console: lists, links, rule sets and watchlists', () => {
  it('given two travellers recruited by the same phone, when the officer opens the second case, then the first is listed as linked', async () => {
    const officer = await ctx.userFor('officer', 'TPI-CGK');
    const first = await api(ctx).post('/api/v1/departure-checks').set(bearer(officer.token)).send(lureFor(1));
    const second = await api(ctx).post('/api/v1/departure-checks').set(bearer(officer.token)).send(lureFor(2));
    expect([first.status, second.status]).toEqual([201, 201]);

    const page = await signedIn(officer, `#/cases/${second.body.caseId}`);
    await page.locator('#links').waitFor();
    const row = page.locator(`#links-table tr[data-application="${first.body.id}"]`);
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain('telepon perekrut');
    await screenshot(page, '20-case-linked-applications');
  });

  it('given an open case, when the supervisor reassigns it from the queue board, then it is assigned to that officer', async () => {
    const officer = await ctx.userFor('officer', 'TPI-CGK');
    const supervisor = await ctx.userFor('supervisor', 'TPI-CGK');
    const submitted = await api(ctx).post('/api/v1/departure-checks').set(bearer(officer.token)).send(lureFor(31));
    const caseId: string = submitted.body.caseId;

    const page = await signedIn(supervisor);
    await page.locator('#case-list').waitFor();
    await page.selectOption('#filter-state', 'open');
    await page.click('#filter-apply');
    const row = page.locator(`#case-list tr[data-case="${caseId}"]`);
    await row.waitFor();
    await row.locator('select').selectOption(officer.id);
    await row.locator('button').click();
    await page.locator('.message.ok', { hasText: 'Kasus ditugaskan.' }).waitFor();
    const after = await api(ctx).get(`/api/v1/cases/${caseId}`).set(bearer(supervisor.token));
    expect(after.body.assignedTo).toBe(officer.id);
  });

  it('given a postponement waiting for approval, when the supervisor rejects it without and then with a reason, then it goes back to the officer', async () => {
    const admin = await ctx.tokenFor('admin', 'HQ');
    expect((await api(ctx).patch('/api/v1/offices/TPI-CGK').set(bearer(admin)).send({ requiresPostponementApproval: true })).status).toBe(200);
    const officer = await ctx.userFor('officer', 'TPI-CGK');
    const supervisor = await ctx.userFor('supervisor', 'TPI-CGK');
    const submitted = await api(ctx).post('/api/v1/departure-checks').set(bearer(officer.token)).send(lureFor(41));
    const caseId: string = submitted.body.caseId;
    expect((await api(ctx).post(`/api/v1/cases/${caseId}/claim`).set(bearer(officer.token))).status).toBe(200);
    const decided = await api(ctx)
      .post(`/api/v1/cases/${caseId}/decision`)
      .set(bearer(officer.token))
      .send({ action: 'postpone', reasonCode: 'incomplete_documents', note: 'Lengkapi surat rekomendasi.' });
    expect(decided.body.state).toBe('pending_approval');

    const page = await signedIn(supervisor, `#/cases/${caseId}`);
    await page.locator('#reject').waitFor();
    await page.click('#reject');
    expect(await text(page, '#note-error')).toBe('Tuliskan alasan penolakan penundaan.');
    await page.fill('#approval-note', 'Dokumen sudah lengkap: periksa lagi.');
    await page.click('#reject');
    await page.locator('.decision-head [data-state="claimed"]').waitFor();
    expect(await text(page, '.message.ok')).toBe('Penundaan ditolak; kasus dikembalikan kepada petugas.');
    const after = await api(ctx).get(`/api/v1/cases/${caseId}`).set(bearer(supervisor.token));
    expect(after.body.claimedBy).toBe(officer.id);
    expect((await api(ctx).patch('/api/v1/offices/TPI-CGK').set(bearer(admin)).send({ requiresPostponementApproval: false })).status).toBe(200);
  });

  it('given a manifest with one bad row, when uploaded, then the progress bar reaches 100% and the bad row is named with its field', async () => {
    const officer = await ctx.userFor('officer', 'TPI-CGK');
    const rows = [lureFor(11), japanHoliday(), { ...lureFor(12), traveller: { ...lureFor(12).traveller, nik: '12345' } }];
    const file = path.join(scratch, 'manifest-qz262.jsonl');
    writeFileSync(file, rows.map((row) => JSON.stringify(row)).join('\n') + '\n');

    const page = await signedIn(officer);
    await page.click('#nav-batches');
    await page.setInputFiles('#batch-file', file);
    await page.fill('#batch-name', 'Manifest QZ 262');
    await page.click('#batch-submit');
    await page.locator('#batch-status[data-state="completed"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('#batch-progress').getAttribute('value')).toBe('100');
    expect(await text(page, '#batch-status [data-count="received"]')).toBe('3');
    expect(await text(page, '#batch-status [data-count="screened"]')).toBe('2');
    expect(await text(page, '#batch-status [data-count="rejected"]')).toBe('1');
    expect(await text(page, '#batch-rejected tr[data-row="3"]')).toContain('traveller.nik');
    await screenshot(page, '21-batch-progress');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#batch-results')]);
    expect(readFileSync((await download.path())!, 'utf8').trim().split(/\r?\n/)).toHaveLength(4);
  });

  it('given an admin, when a broken draft is uploaded, then the problems are shown as file:line; a valid draft is backtested, published and rolled back', async () => {
    const admin = await ctx.userFor('admin', 'HQ');
    const officer = await ctx.userFor('officer', 'TPI-CGK');
    expect((await api(ctx).post('/api/v1/departure-checks').set(bearer(officer.token)).send(lureFor(21))).status).toBe(201);
    expect((await api(ctx).post('/api/v1/departure-checks').set(bearer(officer.token)).send(japanHoliday())).status).toBe(201);

    const page = await signedIn(admin);
    await page.click('#nav-rulesets');
    await page.locator('#ruleset-list').waitFor();
    const active = page.locator('#ruleset-list tr:has([data-status="active"])');
    expect(await active.count()).toBe(1);
    const activeVersion = await active.getAttribute('data-version');

    // A broken draft: a rule on a field that does not exist.
    const broken = path.join(scratch, 'broken');
    cpSync('rules/default', broken, { recursive: true });
    writeFileSync(
      path.join(broken, 'rules', 'zz-broken.yaml'),
      'rules:\n  - id: broken.field\n    title: { id: Rusak, en: Broken }\n    reason: { id: Rusak, en: Broken }\n    appliesTo: [departure]\n    weight: 5\n    when: { field: trip.noSuchField, eq: true }\n',
    );
    await page.setInputFiles('#ruleset-folder', broken);
    await page.click('#ruleset-upload button[type="submit"]');
    await page.locator('#ruleset-problems').waitFor();
    expect(await text(page, '#ruleset-problems li')).toMatch(/^rules\/zz-broken\.yaml:\d+/);
    await screenshot(page, '22-ruleset-draft-problems');

    // A valid draft that weighs the Cambodia destination more heavily.
    const heavier = path.join(scratch, 'heavier');
    cpSync('rules/default', heavier, { recursive: true });
    const destination = path.join(heavier, 'rules', 'destination.yaml');
    writeFileSync(destination, readFileSync(destination, 'utf8').replace(/weight: 20\b/, 'weight: 21'));
    await page.setInputFiles('#ruleset-folder', heavier);
    await page.click('#ruleset-upload button[type="submit"]');
    await page.locator('[data-status="draft"]').waitFor();
    expect(await text(page, '#ruleset-yaml')).toContain('name: default');

    await page.click('#backtest-run');
    await page.locator('#backtest-report').waitFor({ timeout: 20_000 });
    const matrix = page.locator('#backtest-transitions td[data-from]');
    let total = 0;
    for (const cell of await matrix.all()) total += Number(await cell.textContent());
    // Every stored application (this file's earlier tests stored some too) is in the matrix, and a heavier weight keeps every postponement.
    const stored = await ctx.database.pool.query<{ n: number; postponed: number }>(
      "select count(*)::int as n, (count(*) filter (where outcome = 'POSTPONE_RECOMMENDED'))::int as postponed from applications",
    );
    expect(total).toBe(stored.rows[0]!.n);
    expect(await text(page, '#backtest-transitions td[data-from="POSTPONE_RECOMMENDED"][data-to="POSTPONE_RECOMMENDED"]')).toBe(String(stored.rows[0]!.postponed));
    expect(await page.locator('#fairness-sex tbody tr').count()).toBeGreaterThan(0);
    // The backtest report shows how the stored decisions in its range ended, per rule.
    expect(await page.locator('#backtest-rule-outcomes tr[data-rule]').count()).toBeGreaterThan(0);
    await screenshot(page, '23-ruleset-backtest');

    await page.click('#ruleset-publish');
    await page.locator('[data-status="active"]').waitFor();
    await page.click('#ruleset-rollback');
    await page.locator('[data-status="retired"]').waitFor();
    const now = await api(ctx).get('/api/v1/rulesets').set(bearer(admin.token));
    expect(now.body.active).toBe(activeVersion);

    // The active version's page shows, per rule, how the applications it hit ended; the figures are the API's.
    await page.goto(`${origin}/console/#/rulesets/${activeVersion}`);
    await page.locator('#rule-outcomes').waitFor();
    const figures = await api(ctx).get(`/api/v1/rulesets/${activeVersion}/rule-outcomes`).set(bearer(admin.token));
    const top = figures.body.rules[0];
    expect(top.hits).toBeGreaterThan(0);
    const row = page.locator(`#rule-outcomes tr[data-rule="${top.ruleId}"]:not(.sub-row)`);
    expect(await text(page, `#rule-outcomes tr[data-rule="${top.ruleId}"]:not(.sub-row) td[data-col="hits"]`)).toBe(String(top.hits));
    expect(await row.locator('td[data-col="open"]').textContent()).toBe(String(top.open));
    expect(await text(page, '#rule-outcomes-heading')).toBe('Akhir aplikasi per aturan');
    await screenshot(page, '25-ruleset-rule-outcomes');
  });

  it('given an admin, when a recruiter phone is added to the watchlist and later revoked, then the list shows each state', async () => {
    const admin = await ctx.userFor('admin', 'HQ');
    const page = await signedIn(admin);
    await page.click('#nav-watchlists');
    await page.selectOption('#wl-list', 'phone');
    await page.click('#watchlist-entry-form button[type="submit"]');
    expect(await text(page, '#wl-phone-error')).toBe('Wajib diisi.');
    await page.fill('#wl-phone', '+855 12 345 678');
    await page.fill('#wl-name', 'Bang Jo');
    await page.fill('#wl-source', 'Laporan Polri 55/2026');
    await page.click('#watchlist-entry-form button[type="submit"]');
    await page.locator('.message.ok', { hasText: 'Entri ditambahkan.' }).waitFor();
    const entry = page.locator('#watchlist-entries tr[data-entry]', { hasText: '+85512345678 (Bang Jo)' });
    expect(await entry.count()).toBe(1);
    expect(await text(page, '#watchlist-summary tr[data-list="phone"] td')).toBe('1');
    await screenshot(page, '24-watchlists');

    await entry.locator('summary').click();
    await entry.locator('input').fill('Nomor sudah tidak aktif');
    await entry.locator('button.danger').click();
    await page.locator('.message.ok', { hasText: 'Entri dicabut.' }).waitFor();
    expect(await page.locator('#watchlist-entries tr[data-entry]', { hasText: 'Bang Jo' }).count()).toBe(0);
  });
});

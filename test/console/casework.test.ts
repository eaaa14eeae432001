/**
 * Officer casework in a real browser (Debian's Chromium via playwright-core) against the real app:
 * notes and evidence on a case, the decision page above the fold at 1366×768, no raw enum text in the
 * Indonesian pages, a session that survives a reload, the login limiter, and a header that fits.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { api, bearer, createTestContext, type TestContext } from '../support/harness';
import { cambodiaLure } from '../applications/payloads';
import { TINY_PNG } from '../support/multipart';
import { closeServer, fillForm, launchChromium, listen, officeScreen, screenshot } from './browser';

const folder = mkdtempSync(path.join(tmpdir(), 'saring-console-attachments-'));
let ctx: TestContext;
let server: Server | undefined;
let origin: string;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  ctx = await createTestContext({ ATTACHMENTS_DIR: folder, LOGIN_RATE_LIMIT: '5' });
  ({ server, origin } = await listen(ctx));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await closeServer(server);
  await ctx?.close();
  rmSync(folder, { recursive: true, force: true });
});
afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
});

async function openConsole(): Promise<Page> {
  const context = await officeScreen(browser);
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(`${origin}/console`);
  await page.locator('#username').waitFor();
  return page;
}

async function logIn(page: Page, user: { username: string; password: string }): Promise<void> {
  await page.fill('#username', user.username);
  await page.fill('#password', user.password);
  await page.click('#login-submit');
  await page.locator('#logout').waitFor();
}

const text = async (page: Page, selector: string) => ((await page.locator(selector).first().textContent()) ?? '').trim();

/** Enum values as the API and the database spell them; none may reach the Indonesian page as text. */
const rawEnums = /\b(CLEAR|REVIEW|POSTPONE_RECOMMENDED|pending_approval|passport_officer|job_advert|chat_screenshot|employer_letter|departs_soon|departure_passed|waiting_since|suspected_trafficking_victim|nonprocedural_migrant_worker|incomplete_documents|visa_on_arrival|family_visit|umrah_hajj|placement_agency)\b|\b[A-Z]{3,}_[A-Z_]{3,}\b/;

/** Everything the page says, folded-out parts and option labels included. */
const pageText = (page: Page) => page.evaluate<string>('document.body.textContent');

async function screenLure(officerToken: string): Promise<string> {
  const res = await api(ctx).post('/api/v1/departure-checks').set(bearer(officerToken)).send(cambodiaLure());
  expect(res.status).toBe(201);
  return res.body.caseId as string;
}

describe('console casework', () => {
  it('given a case, when an officer writes a note and attaches a job advert photo, then both are listed, the photo downloads byte for byte, and a disguised web page is refused', async () => {
    const officer = await ctx.userFor('officer', 'TPI-CGK');
    const caseId = await screenLure(officer.token);
    const page = await openConsole();
    await logIn(page, officer);
    await page.goto(`${origin}/console/#/cases/${caseId}`);
    await page.locator('#case-notes').waitFor();

    await page.fill('#new-note', 'Pelaku perjalanan menunjukkan iklan "customer service" di Facebook.');
    await page.click('#add-note');
    await page.locator('#notes-list li').first().waitFor();
    expect(await text(page, '#notes-list .note-body')).toBe('Pelaku perjalanan menunjukkan iklan "customer service" di Facebook.');
    expect(await text(page, '#notes-list .meta')).toMatch(/^Anda \(Petugas TPI\) · \d{1,2} \w{3} \d{4}/);
    expect(await page.locator('#case-history tr[data-action="case.note_added"]').count()).toBe(1);

    const photo = path.join(folder, 'iklan-lowongan.png');
    writeFileSync(photo, TINY_PNG);
    await page.selectOption('#attachment-kind', 'job_advert');
    await page.setInputFiles('#attachment-file', photo);
    await page.fill('#attachment-description', 'Iklan di grup Facebook');
    await page.click('#upload-attachment');
    await page.locator('#attachments-table tr[data-attachment]').first().waitFor();
    expect(await text(page, '#attachments-table td')).toBe('Foto iklan lowongan kerja');
    expect(await text(page, '#attachments-table .file-name')).toBe('iklan-lowongan.png');

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#attachments-table [data-download]').first().click()]);
    expect(download.suggestedFilename()).toBe('iklan-lowongan.png');
    expect(Buffer.compare(readFileSync((await download.path())!), TINY_PNG)).toBe(0);

    const disguised = path.join(folder, 'bukan-foto.png');
    writeFileSync(disguised, '<html><body><script>alert(1)</script></body></html>');
    await page.setInputFiles('#attachment-file', disguised);
    await page.click('#upload-attachment');
    await page.locator('#attachment-feedback .message.error').waitFor();
    expect(await text(page, '#attachment-feedback')).toBe('Jenis berkas ini tidak diterima. Unggah foto (JPEG, PNG, WebP) atau PDF.');
    expect(await page.locator('#attachments-table tr[data-attachment]').count()).toBe(1);
    await page.locator('#case-attachments').scrollIntoViewIfNeeded();
    await screenshot(page, '32-case-page');
  }, 180_000);

  it('given the Cambodia lure at 1366×768, when the officer submits it, then the outcome in words, the score, three reasons and the take-the-case button are visible without scrolling', async () => {
    const officer = await ctx.userFor('officer', 'TPI-CGK');
    const page = await openConsole();
    await logIn(page, officer);
    await fillForm(page, '#departure-form', cambodiaLure());
    await page.click('#submit');
    await page.locator('#decision #next-action').waitFor();
    expect(await text(page, '#decision-outcome')).toBe('Penundaan direkomendasikan');
    expect(await page.locator('#top-reasons li').count()).toBe(3);
    expect(await page.evaluate<number>('window.scrollY')).toBe(0);
    for (const selector of ['#decision-outcome', '#decision [data-score]', '#top-reasons li:nth-child(3)', '#claim-case']) {
      const box = (await page.locator(selector).boundingBox())!;
      expect({ selector, bottom: box.y + box.height <= 768 }).toEqual({ selector, bottom: true });
    }
    // The rest folds out: every indicator with its evidence is one click away.
    expect(await page.locator('#all-hits').getAttribute('open')).toBeNull();
    await page.screenshot({ path: path.resolve(__dirname, '../screenshots/30-decision-page.png') });
    await page.click('#all-hits summary');
    expect(await page.locator('#all-hits li.hit').first().isVisible()).toBe(true);
  }, 180_000);

  it('given the main pages in Indonesian, then none shows a raw enum value, and the header fits on one line at 1366 px for every role', async () => {
    const officer = await ctx.userFor('officer', 'TPI-CGK');
    const caseId = await screenLure(officer.token);
    const decided = await screenLure(officer.token);
    expect((await api(ctx).post(`/api/v1/cases/${decided}/claim`).set(bearer(officer.token))).status).toBe(200);
    const supervisor = await ctx.userFor('supervisor', 'TPI-CGK');

    const page = await openConsole();
    await logIn(page, supervisor);
    await page.locator('#queue-board').waitFor();
    await page.selectOption('#filter-state', '');
    await page.click('#filter-apply');
    await page.locator(`#case-list tr[data-case="${caseId}"]`).waitFor();
    const listed = page.locator(`#case-list tr[data-case="${caseId}"]`);
    expect(await text(page, `#case-list tr[data-case="${caseId}"] [data-col="traveller"] a`)).toBe('Rina Marlina');
    expect(await listed.locator('[data-col="destination"]').textContent()).toBe('Kamboja (KH)');
    expect(await listed.locator('[data-col="departure"]').textContent()).toMatch(/^\d{1,2} \w{3} \d{4},? \d{2}\.\d{2} WIB$/);
    expect(await listed.locator('[data-col="priority"]').textContent()).toMatch(/^(Berangkat dalam|Jadwal keberangkatan lewat) \d+ (hari|jam|mnt)/);
    await screenshot(page, '31-queue');
    await page.screenshot({ path: path.resolve(__dirname, '../screenshots/33-supervisor-board.png') });
    expect(await pageText(page)).not.toMatch(rawEnums);

    for (const route of [`#/cases/${caseId}`, `#/cases/${decided}`, '#/stats', '#/batches']) {
      await page.goto(`${origin}/console/${route}`);
      await page.locator('main h1').waitFor();
      await page.waitForLoadState('networkidle');
      const shown = await pageText(page);
      expect({ route, raw: shown.match(rawEnums)?.[0] ?? null }).toEqual({ route, raw: null });
    }

    for (const [role, office] of [['officer', 'TPI-CGK'], ['passport_officer', 'KANIM-KARAWANG'], ['supervisor', 'TPI-CGK'], ['supervisor', 'HQ'], ['admin', 'HQ']] as const) {
      const user = await ctx.userFor(role, office);
      const visit = await openConsole();
      await logIn(visit, user);
      const height = (await visit.locator('#top').boundingBox())!.height;
      expect({ role, office, oneLine: height <= 56 }).toEqual({ role, office, oneLine: true });
      const overflows = await visit.evaluate<boolean>('document.documentElement.scrollWidth > window.innerWidth');
      expect({ role, office, overflows }).toEqual({ role, office, overflows: false });
    }
  }, 240_000);

  it('given a signed-in officer, when the page is reloaded, then they stay signed in without a token in localStorage; signing out revokes the token', async () => {
    const officer = await ctx.userFor('officer', 'TPI-CGK');
    const page = await openConsole();
    await logIn(page, officer);
    await page.reload();
    await page.locator('#logout').waitFor();
    expect(await text(page, 'main h1')).toBe('Pemeriksaan keberangkatan');
    expect(await page.evaluate<string>('JSON.stringify({ ...localStorage }) + document.cookie')).not.toMatch(/ey[A-Za-z0-9_-]{10,}\./);
    const token = await page.evaluate<string>("JSON.parse(sessionStorage.getItem('saring.console.session')).token");
    expect((await api(ctx).get('/api/v1/me').set(bearer(token))).status).toBe(200);

    await page.click('#logout');
    await page.locator('#login-feedback .message.ok').waitFor();
    expect((await api(ctx).get('/api/v1/me').set(bearer(token))).status).toBe(401);
    await page.reload();
    await page.locator('#username').waitFor();
    expect(await page.locator('#logout').count()).toBe(0);
  }, 180_000);

  it('given twenty successful sign-ins, then none is refused; repeated failures are stopped with a message that says when to try again', async () => {
    const officer = await ctx.userFor('officer', 'TPI-CGK');
    const page = await openConsole();
    for (let i = 0; i < 20; i++) {
      await logIn(page, officer);
      await page.click('#logout');
      await page.locator('#login-feedback .message.ok').waitFor();
    }
    for (let i = 0; i < 5; i++) {
      await page.fill('#username', officer.username);
      await page.fill('#password', 'wrong password');
      await page.click('#login-submit');
      await page.locator('#login-feedback .message.error', { hasText: 'Nama pengguna atau kata sandi salah.' }).waitFor();
      await page.evaluate("document.querySelector('#login-feedback').replaceChildren()");
    }
    await page.fill('#username', officer.username);
    await page.fill('#password', officer.password);
    await page.click('#login-submit');
    await page.locator('#login-feedback .message.error').waitFor();
    expect(await text(page, '#login-feedback')).toMatch(/^Terlalu banyak percobaan masuk yang gagal\. Coba lagi dalam \d+ menit, setelah pukul \d{2}\.\d{2} WIB\.$/);
    await screenshot(page, '34-login-limited');
  }, 300_000);
});

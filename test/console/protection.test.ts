/**
 * Protection-first decisions on the console's case page (issue 23), in a real browser against the
 * real API: printing the applicant's notice with the session's token, starting a re-review, moving a
 * referral to protection through its statuses, and watchlisting the recruiter (never the traveller).
 * Screenshots land in test/screenshots/.
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { api, bearer, createTestContext, type TestContext } from '../support/harness';
import { cambodiaLure } from '../applications/payloads';
import { closeServer, launchChromium, listen, officeScreen, screenshot } from './browser';

type User = Awaited<ReturnType<TestContext['userFor']>>;

let ctx: TestContext;
let server: Server | undefined;
let origin: string;
let browser: Browser;
const contexts: BrowserContext[] = [];
let officer: User;
let supervisor: User;

beforeAll(async () => {
  ctx = await createTestContext();
  ({ server, origin } = await listen(ctx));
  browser = await launchChromium();
  officer = await ctx.userFor('officer', 'TPI-CGK');
  supervisor = await ctx.userFor('supervisor', 'TPI-CGK');
});
afterAll(async () => {
  await browser?.close();
  await closeServer(server);
  await ctx?.close();
});
afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
});

/** Opens the console at a page (hash route); the login comes first and then returns there. */
async function signedIn(user: { username: string; password: string }, route: string): Promise<Page> {
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
const get = (token: string, path: string) => api(ctx).get(`/api/v1${path}`).set(bearer(token));
const post = (token: string, path: string, body: object = {}) => api(ctx).post(`/api/v1${path}`).set(bearer(token)).send(body);

/** The Cambodia lure for a distinct traveller, screened at TPI-CGK; answers its case. */
async function screenedLure(n: number): Promise<{ caseId: string; applicationId: string }> {
  const body = cambodiaLure();
  body.traveller = { ...body.traveller, fullName: `Pelaku Perjalanan ${n}`, nik: `32012345098711${String(n).padStart(2, '0')}`, passportNumber: `C76543${String(n).padStart(2, '0')}` };
  const res = await post(officer.token, '/departure-checks', body);
  expect(res.status).toBe(201);
  return { caseId: res.body.caseId as string, applicationId: res.body.id as string };
}

/** A postponement made final the default way: the officer decides, a supervisor approves (four eyes). */
async function finalPostponement(n: number): Promise<{ caseId: string; postponementId: string }> {
  const { caseId } = await screenedLure(n);
  expect((await post(officer.token, `/cases/${caseId}/claim`)).status).toBe(200);
  const decided = await post(officer.token, `/cases/${caseId}/decision`, {
    action: 'postpone',
    reasonCode: 'nonprocedural_migrant_worker',
    note: 'Belum terdaftar di SISKOP2MI dan tidak memiliki ID PMI.',
  });
  expect(decided.body.state).toBe('pending_approval');
  expect((await post(supervisor.token, `/cases/${caseId}/approval`, { approve: true })).status).toBe(200);
  const detail = await get(officer.token, `/cases/${caseId}`);
  return { caseId, postponementId: detail.body.postponement.id as string };
}

/** The decision column scrolls on its own (it stays in view): bring a panel to its top for the screenshot. */
async function showInDecisionColumn(page: Page, selector: string): Promise<void> {
  await page.locator(selector).evaluate((el) => (el as unknown as { scrollIntoView(options: object): void }).scrollIntoView({ block: 'start' }));
}

/** Clicks a print button; answers the notice's HTTP response and the saved file. */
async function printNotice(page: Page, button: string) {
  const [response, download] = await Promise.all([
    page.waitForResponse((res) => res.url().includes('/notice.pdf')),
    page.waitForEvent('download'),
    page.click(button),
  ]);
  return { response, download, bytes: readFileSync((await download.path())!) };
}

describe('console: protection-first decisions on the case page', () => {
  it('given an approved postponement, when the officer prints the notice in both languages, then PDFs are fetched with the token and saved, and the verification code the public check accepts appears', async () => {
    const { caseId, postponementId } = await finalPostponement(1);
    const page = await signedIn(officer, `#/cases/${caseId}`);
    await page.locator('#case-postponement').waitFor();
    expect(await page.getAttribute('#case-postponement', 'data-postponement')).toBe(postponementId);
    expect(await text(page, '#print-notice-id')).toBe('Cetak surat pemberitahuan (Bahasa Indonesia)');
    expect(await text(page, '#notice-code')).toBe('Dibuat saat surat pertama kali dicetak.');

    const indonesian = await printNotice(page, '#print-notice-id');

    expect(indonesian.response.status()).toBe(200);
    expect(indonesian.response.headers()['content-type']).toBe('application/pdf');
    expect(indonesian.response.request().headers().authorization).toMatch(/^Bearer /);
    expect(new URL(indonesian.response.url()).searchParams.get('lang')).toBe('id');
    expect(indonesian.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(indonesian.download.suggestedFilename()).toBe(`pemberitahuan-penundaan-${postponementId.slice(0, 8)}-id.pdf`);
    // The first print minted the code: the page shows it, and anyone may check it without an account.
    await page.locator('#notice-code code').waitFor();
    const code = await text(page, '#notice-code code');
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect((await get(officer.token, `/cases/${caseId}`)).body.postponement.notice.verificationCode).toBe(code);
    expect((await api(ctx).get(`/api/v1/notices/${code}`)).status).toBe(200);

    const english = await printNotice(page, '#print-notice-en');
    expect(english.response.headers()['content-type']).toBe('application/pdf');
    expect(new URL(english.response.url()).searchParams.get('lang')).toBe('en');
    expect(english.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(await text(page, '#notice-feedback')).toBe('Surat pemberitahuan diunduh sebagai PDF.');
    await showInDecisionColumn(page, '#case-postponement');
    await screenshot(page, '40-case-postponement-notice');

    await page.click('#language-switch');
    await page.locator('#print-notice-en', { hasText: 'Print notice (English)' }).waitFor();
    expect(await text(page, '#start-re-review')).toBe('Start re-review');
  }, 180_000);

  it('given an approved postponement, when the officer starts a re-review with a ground and a note, then the re-review case is open in the queue and the page links to it', async () => {
    const { caseId, postponementId } = await finalPostponement(2);
    const page = await signedIn(officer, `#/cases/${caseId}`);
    await page.locator('#re-review-form').waitFor();

    await page.click('#start-re-review');
    expect(await text(page, '#re-review-feedback')).toBe('Pilih dasar peninjauan ulang.');
    await page.selectOption('#re-review-ground', 'documents_completed');
    await page.fill('#re-review-note', 'Kembali dengan ID PMI dan perjanjian penempatan.');
    await page.click('#start-re-review');
    await page.locator('#re-reviews a.re-review-link').waitFor();

    const href = (await page.getAttribute('#re-reviews a.re-review-link', 'href'))!;
    const reReviewId = /^#\/cases\/([0-9a-f-]{36})$/.exec(href)![1]!;
    const reReview = await get(officer.token, `/cases/${reReviewId}`);
    expect(reReview.status).toBe(200);
    expect(reReview.body).toMatchObject({ postponementId, state: 'open', officeCode: 'TPI-CGK' });
    expect(await page.locator('#re-review-form').count()).toBe(0);
    expect(await text(page, '#re-review-under-way')).toBe('Peninjauan ulang sedang berjalan; hasilnya dicatat pada penundaan ini.');
    expect(await text(page, '#re-reviews [data-state]')).toBe('Terbuka');
    await showInDecisionColumn(page, '#case-postponement');
    await screenshot(page, '41-case-re-review-started');

    // The re-review case says what it reconsiders, and its decision form offers no referral.
    await page.click('#re-reviews a.re-review-link');
    await page.locator('#case-re-review-of').waitFor();
    await page.click('#claim');
    await page.locator('#decision-form').waitFor();
    expect(await page.locator('#decision-form input[name="action"]').evaluateAll((inputs) => inputs.map((input) => (input as unknown as { value: string }).value))).toEqual(['clear', 'postpone']);
  }, 180_000);

  it('given a referral to LPSK, when the officer acknowledges it and then closes it with an outcome, then the referral moves through its statuses with its history', async () => {
    const { caseId } = await screenedLure(3);
    await post(officer.token, `/cases/${caseId}/claim`);
    const decided = await post(officer.token, `/cases/${caseId}/decision`, {
      action: 'refer',
      reasonCode: 'suspected_trafficking_victim',
      note: 'Paspor dipegang pendamping.',
      referral: { agency: 'lpsk', agencyDetail: 'LPSK Jakarta', indicators: ['documents_held_by_others', 'recruited_online'], dueDate: '2099-01-10' },
    });
    expect(decided.body.state).toBe('decided');
    const referralId = (await get(officer.token, `/cases/${caseId}`)).body.referral.id as string;

    const page = await signedIn(officer, `#/cases/${caseId}`);
    await page.locator('#case-referral').waitFor();
    expect(await text(page, '#referral-agency')).toBe('LPSK (Lembaga Perlindungan Saksi dan Korban) · LPSK Jakarta');
    expect(await text(page, '#referral-current')).toBe('Dikirim');
    expect(await page.locator('#referral-history li').count()).toBe(1);
    expect(await page.textContent('#case-referral')).toContain('Dokumen dipegang orang lain, Direkrut lewat media sosial');

    await page.selectOption('#referral-status', 'acknowledged');
    await page.fill('#referral-note', 'Diterima petugas LPSK.');
    await page.click('#save-referral-status');
    await page.locator('#referral-current [data-status="acknowledged"]').waitFor();
    expect((await get(officer.token, `/referrals/${referralId}`)).body).toMatchObject({ status: 'acknowledged', acknowledgedAt: expect.any(String) });

    await page.selectOption('#referral-status', 'closed');
    await page.click('#save-referral-status');
    expect(await text(page, '#referral-feedback')).toBe('Penutupan rujukan menyebutkan hasilnya.');
    await page.selectOption('#referral-outcome', 'assisted');
    await page.click('#save-referral-status');
    await page.locator('#referral-current [data-status="closed"]').waitFor();

    const closed = await get(officer.token, `/referrals/${referralId}`);
    expect(closed.body).toMatchObject({ status: 'closed', outcome: 'assisted' });
    expect(closed.body.history.map((event: { status: string }) => event.status)).toEqual(['sent', 'acknowledged', 'closed']);
    expect(closed.body.history[1].note).toBe('Diterima petugas LPSK.');
    expect(await text(page, '#referral-current')).toBe('Selesai · Didampingi atau dibantu');
    expect(await page.locator('#referral-status-form').count()).toBe(0);
    await showInDecisionColumn(page, '#case-referral');
    await screenshot(page, '42-case-referral');
  }, 180_000);

  it('given a lure naming a recruiter phone and an employer, when the supervisor watchlists them, then both entries exist, nothing else is offered, and an officer is not offered the form', async () => {
    const { caseId, applicationId } = await screenedLure(4);

    const officerPage = await signedIn(officer, `#/cases/${caseId}`);
    await officerPage.locator('#case-history-panel').waitFor();
    expect(await officerPage.locator('#case-recruiter-watchlist').count()).toBe(0);

    const page = await signedIn(supervisor, `#/cases/${caseId}`);
    await page.locator('#recruiter-watchlist-form').waitFor();
    // Only the parties the application carries; never the traveller.
    const offered = await page.locator('#recruiter-watchlist-form input[name="keys"]').evaluateAll((inputs) => inputs.map((input) => (input as unknown as { value: string }).value));
    expect(offered).toEqual(['recruiterPhone', 'employer']);
    const panel = (await page.textContent('#case-recruiter-watchlist')) ?? '';
    expect(panel).toContain('Golden Star Trading Co.');
    expect(panel).not.toContain('Pelaku Perjalanan 4');
    expect(panel).not.toContain('0812-3456-7890');
    expect(panel).not.toContain('81234567890');

    await page.click('#watchlist-recruiter');
    expect(await text(page, '#recruiter-watchlist-feedback')).toBe('Pilih setidaknya satu pihak.');
    await page.check('#watch-recruiterPhone');
    await page.check('#watch-employer');
    await page.fill('#recruiter-source', 'Laporan Polisi LP/B/123/XII/2026');
    await page.fill('#recruiter-validTo', '2099-12-31');
    await page.click('#watchlist-recruiter');
    await page.locator('#recruiter-watchlist-result li').nth(1).waitFor();
    expect(await text(page, '#recruiter-watchlist-result p')).toBe('2 entri ditambahkan ke daftar pantauan; 0 sudah ada.');
    await page.locator('#case-recruiter-watchlist').scrollIntoViewIfNeeded();
    await screenshot(page, '43-case-watchlist-recruiter');

    const phones = await get(supervisor.token, '/watchlists/entries?list=phone');
    const employers = await get(supervisor.token, '/watchlists/entries?list=employer');
    const fromCase = (items: Array<{ source: string }>) => items.filter((item) => item.source === 'Laporan Polisi LP/B/123/XII/2026');
    expect(fromCase(phones.body.items)).toEqual([expect.objectContaining({ phone: expect.stringMatching(/^\+855/) })]);
    expect(fromCase(employers.body.items)).toEqual([expect.objectContaining({ name: 'Golden Star Trading Co.' })]);
    const persons = await get(supervisor.token, '/watchlists/entries?list=person&status=all');
    expect(fromCase(persons.body.items)).toEqual([]);
    const [summary] = (await get(supervisor.token, `/audit?action=application.recruiter_watchlisted&targetId=${applicationId}`)).body.items ?? [];
    expect(summary?.after?.keys).toEqual(['recruiterPhone', 'employer']);
  }, 180_000);
});

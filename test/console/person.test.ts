/**
 * The person's history on the case page (issue 20), in a real browser: an officer at Soekarno-Hatta
 * opens the case of a traveller who was postponed at Bali, and reads the Bali postponement in a table
 * of the person's records across offices, in Bahasa Indonesia, without the NIK on the page.
 */
import type { Server } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { cambodiaLure } from '../applications/payloads';
import { api, bearer, createTestContext, post, query, type TestContext } from '../support/harness';
import { closeServer, launchChromium, listen, officeScreen, screenshot } from './browser';

let ctx: TestContext;
let server: Server | undefined;
let origin: string;
let browser: Browser;
let context: BrowserContext | undefined;

beforeAll(async () => {
  ctx = await createTestContext();
  ({ server, origin } = await listen(ctx));
  browser = await launchChromium();
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await closeServer(server);
  await ctx?.close();
});

const rows = (page: Page) =>
  page.$$eval('#person-history tbody tr', (trs) => trs.map((tr) => ({ of: tr.getAttribute('data-of'), office: tr.getAttribute('data-office'), cells: [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim()) })));

describe('console: the person behind a case', () => {
  it('given a traveller postponed at TPI-DPS, when an officer at TPI-CGK opens the case of the same NIK, then the Bali postponement reads as a row of the person history, with no NIK on the page', async () => {
    // Given: the lure screened and postponed at Bali (four eyes off there: this test is about history).
    await query(ctx, "UPDATE offices SET requires_postponement_approval = false WHERE code = 'TPI-DPS'");
    const bali = await ctx.userFor('officer', 'TPI-DPS');
    const earlier = await api(ctx).post('/api/v1/departure-checks').set(bearer(bali.token)).send(cambodiaLure());
    expect(earlier.status).toBe(201);
    expect((await post(ctx, bali.token, `/cases/${earlier.body.caseId}/claim`)).status).toBe(200);
    const decided = await post(ctx, bali.token, `/cases/${earlier.body.caseId}/decision`, { action: 'postpone', reasonCode: 'nonprocedural_migrant_worker', note: 'Belum ada ID PMI.' });
    expect(decided.status).toBe(200);

    // When: the same traveller tries again at Soekarno-Hatta and an officer there opens the case.
    const jakarta = await ctx.userFor('officer', 'TPI-CGK');
    const again = await api(ctx).post('/api/v1/departure-checks').set(bearer(jakarta.token)).send(cambodiaLure());
    expect(again.status).toBe(201);
    context = await officeScreen(browser);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(`${origin}/console`);
    await page.fill('#username', jakarta.username);
    await page.fill('#password', jakarta.password);
    await page.click('#login-submit');
    await page.locator('#logout').waitFor();
    await page.goto(`${origin}/console/#/cases/${again.body.caseId}`);
    await page.locator('#person-history').waitFor();

    // Then: newest first, this application, then Bali's postponement and Bali's screening, both closed to Jakarta.
    const table = await rows(page);
    expect(table.map((r) => [r.of, r.office])).toEqual([
      ['application', 'TPI-CGK'],
      ['postponement', 'TPI-DPS'],
      ['application', 'TPI-DPS'],
    ]);
    expect(table[0]!.cells[6]).toBe('Permohonan ini');
    expect(table[1]!.cells.slice(2)).toEqual(['Ditunda', 'Keberangkatan', 'Ditunda petugas', 'Calon pekerja migran nonprosedural', 'Kantor lain']);
    expect(table[2]!.cells[4]).toBe('Penundaan direkomendasikan');
    expect(await page.locator('#person-history-panel .hint').first().textContent()).toBe('Dikenali dari NIK. Kantor dengan catatan: TPI-CGK, TPI-DPS.');
    const panelText = (await page.locator('#person-history-panel').textContent()) ?? '';
    expect(panelText).not.toContain(cambodiaLure().traveller.nik);
    await page.locator('#person-history-panel').scrollIntoViewIfNeeded();
    await screenshot(page, '41-person-history');
  }, 180_000);
});

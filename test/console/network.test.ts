/**
 * The network on the case page, in Chromium against the real app: drawn with cytoscape served by this
 * service, nodes coloured by outcome, a click on a node opening that node's case, the link-cluster
 * evidence as words (never JSON). Screenshot: test/screenshots/network-case.png.
 */
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { api, bearer, createTestContext, type TestContext } from '../support/harness';
import { eventually } from '../webhooks/support';
import { applicationOf, daysFromNow, depart, tourist, touristName } from '../networks/support';
import { closeServer, launchChromium, listen, officeScreen, screenshot } from './browser';

jest.setTimeout(120_000);

let ctx: TestContext;
let server: Server | undefined;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  ctx = await createTestContext({ OUTBOX_SWEEP_EVERY_MS: '300' });
  await ctx.jobs.startWorking();
  ({ server, origin } = await listen(ctx));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await closeServer(server);
  await ctx?.close();
});

/** Where a node is drawn, in page coordinates. */
async function nodePosition(page: Page, id: string): Promise<{ x: number; y: number }> {
  await page.locator('#network-canvas').scrollIntoViewIfNeeded();
  const box = (await page.locator('#network-canvas').boundingBox())!;
  const at = await page.evaluate((nodeId) => {
    const container = (globalThis as unknown as { document: { getElementById(id: string): unknown } }).document.getElementById('network-canvas') as unknown as { cy: { getElementById(id: string): { renderedPosition(): { x: number; y: number } } } };
    return container.cy.getElementById(nodeId).renderedPosition();
  }, id);
  return { x: box.x + at.x, y: box.y + at.y };
}

describe('the network on the case page', () => {
  it('given a cluster whose 3rd traveller re-flagged the first two, when a supervisor opens the 1st case, then the network is drawn with a node per application and clicking the 2nd node opens its case', async () => {
    const officer = await ctx.tokenFor('officer', 'TPI-CGK');
    const supervisor = await ctx.userFor('supervisor', 'TPI-CGK');
    const phone = '0812-9600-0001';
    const first = await depart(ctx, officer, tourist(601, daysFromNow(20), phone));
    const second = await depart(ctx, officer, tourist(602, daysFromNow(22), phone));
    const third = await depart(ctx, officer, tourist(603, daysFromNow(24), phone));
    const cases: string[] = [];
    for (const earlier of [first, second]) {
      const seen = await eventually(
        () => applicationOf(ctx, officer, earlier.id),
        (a) => a.caseId !== null,
      );
      cases.push(seen.caseId!);
    }

    const context = await officeScreen(browser);
    try {
      const page = await context.newPage();
      const requests: string[] = [];
      const errors: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      page.on('pageerror', (error) => errors.push(String(error)));
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(msg.text());
      });
      page.setDefaultTimeout(15_000);
      await page.goto(`${origin}/console`);
      await page.fill('#username', supervisor.username);
      await page.fill('#password', supervisor.password);
      await page.click('#login-submit');
      await page.locator('#logout').waitFor();

      await page.evaluate((path) => {
        (globalThis as unknown as { location: { hash: string } }).location.hash = path;
      }, `/cases/${cases[0]}`);
      try {
        await page.locator('#network-canvas canvas').first().waitFor();
      } catch (error) {
        await screenshot(page, 'network-case-failed');
        throw new Error(`${String(error)}\n${errors.join('\n')}\n${(await page.locator('main').textContent())?.slice(0, 2000)}`);
      }
      const drawn = await eventually(
        () => page.evaluate(() => ((globalThis as unknown as { document: { getElementById(id: string): unknown } }).document.getElementById('network-canvas') as unknown as { cy?: { nodes(): { map<T>(f: (n: { id(): string; data(k: string): string }) => T): T[] } } }).cy?.nodes().map((n) => [n.id(), n.data('outcome')]) ?? []),
        (nodes) => nodes.length === 3,
        15_000,
      );
      expect(new Map(drawn as Array<[string, string]>)).toEqual(
        new Map([
          [first.id, 'REVIEW'],
          [second.id, 'REVIEW'],
          [third.id, third.decision.outcome],
        ]),
      );
      // The cluster evidence reads as words, never JSON.
      const evidence = (await page.locator('#decision [data-evidence="linked:recruiterPhone"]').textContent())!;
      expect(evidence).toMatch(/2 pelaku perjalanan lain dalam ±14 hari/);
      expect(evidence).not.toMatch(/[{}[\]"]/);
      const alertText = (await page.locator('#cluster-alerts').textContent())!;
      expect(alertText).toContain('kasus dibuka');
      expect(alertText).not.toMatch(/[{}"]/);
      await screenshot(page, 'network-case');

      // A click on the 2nd traveller's node opens the 2nd case.
      const at = await nodePosition(page, second.id);
      await page.mouse.click(at.x, at.y);
      await page.waitForURL(`**/console/#/cases/${cases[1]}`);
      await page.locator('#network-canvas canvas').first().waitFor();
      expect(await page.locator('h1').first().textContent()).toContain(touristName(602));

      // Nothing left this service (the library included), and nothing failed in the page (CSP included).
      expect(requests.filter((url) => !url.startsWith(origin))).toEqual([]);
      expect(requests).toContain(`${origin}/console/vendor/cytoscape.mjs`);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
    // The case's own API is what the page showed.
    expect((await api(ctx).get(`/api/v1/cases/${cases[1]}`).set(bearer(officer))).body.applicationId).toBe(second.id);
  });
});

/**
 * The expected-departures page in a real browser (issue 22): a carrier's PAXLST manifest arrives, an
 * officer sees the flight with its flagged count, opens its passengers, starts a departure check
 * prefilled from the manifest, completes it, and the check is linked to the manifest passenger.
 */
import type { Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { api, bearer, createTestContext, get, query, type TestContext } from '../support/harness';
import { interchange, message } from '../manifests/paxlst';
import { closeServer, fillForm, launchChromium, listen, officeScreen, screenshot } from './browser';

jest.setTimeout(120_000);

let ctx: TestContext;
let server: Server | undefined;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.jobs.startWorking();
  ({ server, origin } = await listen(ctx));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await closeServer(server);
  await ctx?.close();
});

/** Local Jakarta time `hours` from now as PAXLST YYMMDDHHMM, and as the form's datetime-local value. */
function jakartaIn(hours: number): { paxlst: string; local: string } {
  const at = new Date(Date.now() + hours * 3_600_000 + 7 * 3_600_000).toISOString();
  return { paxlst: `${at.slice(2, 4)}${at.slice(5, 7)}${at.slice(8, 10)}${at.slice(11, 13)}${at.slice(14, 16)}`, local: at.slice(0, 16) };
}

describe('expected departures page', () => {
  it('given a manifest with a recruited group, when an officer opens the flight and starts a check for a passenger, then the form is prefilled and the check is linked to the manifest passenger', async () => {
    const officer = await ctx.userFor('officer', 'TPI-CGK');
    const departs = jakartaIn(5);
    const arrives = jakartaIn(8);
    const group = ['SARI:WULAN', 'PUTRI:AYU', 'LESTARI:DEWI', 'HANDAYANI:SRI'].map((name, i) => {
      const [surname, given] = name.split(':') as [string, string];
      return { surname, given, sex: 'F' as const, birth: `0${i + 1}0715`, passport: `E765432${i}`, phone: '6281299990000' };
    });
    const holidaymaker = { surname: 'SANTOSO', given: 'BUDI', sex: 'M' as const, birth: '850312', passport: 'E1111111' };
    const flight = { flight: 'QZ262', from: 'CGK', to: 'PNH', departs: departs.paxlst, arrives: arrives.paxlst };
    const sent = await api(ctx).post('/api/v1/manifests').set(bearer(officer.token)).set('Content-Type', 'application/edifact').send(interchange('UI0001', [message('M1', flight, [holidaymaker, ...group])]));
    expect(sent.status).toBe(201);
    for (let i = 0; i < 300 && (await get(ctx, officer.token, `/manifests/${sent.body.id}`)).body.state !== 'completed'; i++) await new Promise((r) => setTimeout(r, 100));

    const context = await officeScreen(browser);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    page.setDefaultTimeout(10_000);
    await page.goto(`${origin}/console`);
    await page.fill('#username', officer.username);
    await page.fill('#password', officer.password);
    await page.click('#login-submit');
    await page.locator('#logout').waitFor();

    await page.click('#nav-departures');
    await page.locator('#expected-departures').waitFor();
    expect((await page.locator('h1').textContent())?.trim()).toBe('Keberangkatan terjadwal');
    const row = page.locator('#expected-departures tbody tr').first();
    expect(await row.getAttribute('data-flagged')).toBe('4');
    expect((await row.locator('td').first().textContent())?.trim()).toBe('QZ262');

    await row.locator('button.open-flight').click();
    const passengers = page.locator('table.manifest-passengers tbody tr');
    await passengers.first().waitFor();
    expect(await passengers.count()).toBe(5);
    // Flagged first, the holidaymaker last.
    expect(await passengers.first().getAttribute('data-outcome')).toBe('REVIEW');
    expect(await passengers.last().getAttribute('data-outcome')).toBe('CLEAR');
    await screenshot(page, '22-expected-departures');

    const wulan = page.locator('table.manifest-passengers tbody tr', { hasText: 'WULAN SARI' });
    await wulan.locator('button.start-check').click();
    await page.locator('#departure-form').waitFor();
    expect(await page.inputValue('[name="traveller.fullName"]')).toBe('WULAN SARI');
    expect(await page.inputValue('[name="traveller.passportNumber"]')).toBe('E7654320');
    expect(await page.inputValue('[name="trip.flightOrVessel"]')).toBe('QZ262');
    expect(await page.inputValue('[name="trip.departureAt"]')).toBe(departs.local);
    expect(await page.inputValue('[name="trip.destinationCountry"]')).toBe('KH');
    await screenshot(page, '22-prefilled-departure-check');

    // The officer completes what the manifest does not carry, and submits.
    await fillForm(page, '#departure-form', {
      traveller: { nik: '3201015507010001', provinceOfOrigin: 'Jawa Barat' },
      trip: { ticketPaidBy: 'sponsor', previousInternationalTrips: 0 },
      purpose: { declaredPurpose: 'tourism', visaType: 'visa_on_arrival' },
    });
    await page.click('#submit');
    await page.locator('#decision').waitFor();

    const [linked] = await query<{ application_id: string | null }>(
      ctx,
      `SELECT p.departure_application_id AS application_id FROM manifest_passengers p WHERE p.manifest_id = $1 AND p.document_number = 'E7654320'`,
      [sent.body.id],
    );
    expect(linked!.application_id).toEqual(expect.any(String));
    expect(errors).toEqual([]);
    await context.close();
  });
});

import { parse as parseCsv } from 'csv-parse/sync';
import { bangkokOnToMyawaddy } from '../applications/payloads';
import { createTestContext, type TestContext } from '../support/harness';
import { emptyLog, get, manualBody, post, query, type User } from './support';

/** Issue 25: postponement statistics and the CSV count the final destination and show the way there. */
describe('postponements of travellers going on beyond their ticket', () => {
  let ctx: TestContext;
  let officer: User;
  beforeAll(async () => {
    ctx = await createTestContext();
    officer = await ctx.userFor('officer', 'TPI-CGK');
    // Four eyes is every office's default (migration 0040); this test is about destinations, not approval,
    // so the office has it switched off, as an admin may.
    await query(ctx, "UPDATE offices SET requires_postponement_approval = false WHERE code = 'TPI-CGK'");
  });
  afterAll(() => ctx.close());
  beforeEach(() => emptyLog(ctx));

  it('given a Bangkok flight going on by land to Myawaddy, when postponed, then the statistics count Myanmar with Malaysia and Thailand as the transit, and the CSV shows both', async () => {
    const screened = await post(ctx, officer.token, '/departure-checks', bangkokOnToMyawaddy());
    expect(screened.status).toBe(201);
    const direct = await post(ctx, officer.token, '/departure-checks', { ...bangkokOnToMyawaddy(), trip: { ...bangkokOnToMyawaddy().trip, transitCountries: [], onwardLegs: [] } });

    for (const applicationId of [screened.body.id, direct.body.id]) {
      const res = await post(ctx, officer.token, '/postponements', manualBody({ destinationCountry: undefined, applicationId }));
      expect(res.status).toBe(201);
    }

    const stats = await get(ctx, officer.token, '/postponements/stats?groupBy=destination,via');
    expect(stats.status).toBe(200);
    expect(stats.body.total).toBe(2);
    expect(stats.body.groups).toEqual([
      { destination: 'MM', via: 'MY,TH', count: 1 },
      { destination: 'TH', via: '', count: 1 },
    ]);
    const myanmar = await get(ctx, officer.token, '/postponements/stats?destination=MM');
    expect(myanmar.body.total).toBe(1);

    const list = await get(ctx, officer.token, '/postponements?destination=MM');
    expect(list.body.items.map((p: { destinationCountry: string; viaCountries: string[] }) => [p.destinationCountry, p.viaCountries])).toEqual([['MM', ['MY', 'TH']]]);

    const csv = await get(ctx, officer.token, '/postponements/export.csv');
    const records: Array<Record<string, string>> = parseCsv(csv.text.replace(/^\uFEFF/, ''), { columns: true });
    expect(records.map((r) => [r.application_id, r.destination_country, r.via_countries]).sort()).toEqual(
      [
        [screened.body.id, 'MM', 'MY TH'],
        [direct.body.id, 'TH', ''],
      ].sort(),
    );
  });
});

/** A batch chunk resolves its rows' screening contexts in one statement: each must be what it would be alone. */
import { cambodiaLure, japanHoliday, passportForWorkInCambodia } from '../applications/payloads';
import { departureCheckInputSchema, passportApplicationInputSchema, type Application } from '../../src/screening/application-schema';
import { resolveScreeningContext, resolveScreeningContexts } from '../../src/screening/context';
import { api, bearer, createTestContext, type TestContext } from '../support/harness';
import { nikFor } from '../support/nik';

describe('screening contexts resolved together', () => {
  let ctx: TestContext;
  // After the entries and earlier travellers below were recorded, so they count.
  let receivedAt: Date;

  const lure = (n: number, changes: { employerName?: string; recruiterPhone?: string } = {}) => {
    const body = cambodiaLure();
    return {
      ...body,
      traveller: { ...body.traveller, nik: nikFor(body.traveller, 7000 + n, '320123'), passportNumber: `C${String(1000000 + n)}` },
      employment: { ...body.employment, ...changes },
    };
  };
  const departure = (body: object): Application => ({ kind: 'departure', data: departureCheckInputSchema.parse(body) });
  const passport = (body: object): Application => ({ kind: 'passport', data: passportApplicationInputSchema.parse(body) });

  beforeAll(async () => {
    ctx = await createTestContext();
    const admin = await ctx.tokenFor('admin', 'HQ');
    const officer = await ctx.tokenFor('officer', 'TPI-CGK');
    for (const entry of [
      { list: 'phone', phone: '+855 12 345 678', name: 'Bang Jo' },
      { list: 'employer', name: 'Golden Star Trading Company', country: 'KH' },
      { list: 'employer', name: 'Golden Star Trading', country: 'TH' },
    ]) {
      const res = await api(ctx).post('/api/v1/watchlists/entries').set(bearer(admin)).send({ source: 'test', validFrom: '2026-01-01T00:00:00Z', ...entry });
      expect(res.status).toBe(201);
    }
    // Earlier travellers recruited by the same phone or employer, to link to.
    for (let n = 0; n < 3; n++) {
      const res = await api(ctx).post('/api/v1/departure-checks').set(bearer(officer)).send(lure(n));
      expect(res.status).toBe(201);
    }
    receivedAt = new Date(Date.now() + 1000);
  });
  afterAll(() => ctx.close());

  it('given departures and passport applications with and without shared keys, when resolved together, then each context equals the one resolved alone', async () => {
    const applications = [
      departure(lure(10)),
      departure(japanHoliday()),
      departure(lure(11, { employerName: 'Another Employer Ltd', recruiterPhone: '+855 99 999 999' })),
      passport(passportForWorkInCambodia()),
      departure(lure(12, { recruiterPhone: '+855 12 345 678' })),
    ];
    const together = await resolveScreeningContexts(ctx.database.db, applications, receivedAt, ctx.screener.requirements);
    const alone = [];
    for (const application of applications) alone.push(await resolveScreeningContext(ctx.database.db, application, receivedAt, ctx.screener.requirements));
    expect(together).toEqual(alone);
    // Not a comparison of empty contexts: the lures are on the watchlist and linked to the earlier travellers.
    expect(together[0]?.watchlist?.length).toBeGreaterThan(0);
    expect(Object.values(together[0]!.links ?? {}).some((linked) => linked.length >= 3)).toBe(true);
    expect(together[1]!.watchlist).toEqual([]);
  });

  it('given no applications, when resolved together, then there is nothing to look up', async () => {
    expect(await resolveScreeningContexts(ctx.database.db, [], receivedAt, ctx.screener.requirements)).toEqual([]);
  });
});

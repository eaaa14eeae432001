import { createTestContext, type TestContext } from '../support/harness';
import { registeredRoutes } from '../support/routes';
import { callerColumns, endpoints, Fixtures, routeKey, routesOfThisBuild, send, type Endpoint } from './endpoints';

/**
 * Every endpoint × every role × own office / other office (and headquarters, and no token), each
 * with the status the table in endpoints.ts expects. The first test fails when the app registers a
 * route without a row, so a new endpoint cannot ship without saying who may call it.
 */
describe('authorisation matrix', () => {
  let ctx: TestContext;
  let fx: Fixtures;

  beforeAll(async () => {
    // Eleven callers check one notice code from one address: more than the public check's default limit.
    ctx = await createTestContext({ NOTICE_VERIFY_RATE_LIMIT: '1000' });
    fx = new Fixtures(ctx);
    await fx.setUp();
  }, 60_000);
  afterAll(() => ctx.close());

  it('given every route the app registers, then each has exactly one row in the table', () => {
    const registered = registeredRoutes(ctx.app).map((route) => routeKey(route.method, route.path));
    const rows = endpoints.map((endpoint) => routeKey(endpoint.method, endpoint.path));
    expect({ routesWithoutARow: registered.filter((key) => !rows.includes(key)) }).toEqual({ routesWithoutARow: [] });
    expect({ duplicateRows: rows.filter((key, i) => rows.indexOf(key) !== i) }).toEqual({ duplicateRows: [] });
  });

  const present = routesOfThisBuild();
  const table = endpoints.map((endpoint) => [routeKey(endpoint.method, endpoint.path), endpoint] as const);
  const registeredRows = table.filter(([key]) => !present || present.has(key));
  const absentRows = table.filter(([key]) => present && !present.has(key));

  if (absentRows.length > 0) it.skip.each(absentRows)('%s (not registered in this build)', () => undefined);

  it.each(registeredRows)('%s answers each caller as the table says', async (_name, endpoint: Endpoint) => {
    const actual: Record<string, number> = {};
    const bodies: Record<string, unknown> = {};
    for (const caller of fx.callers(endpoint.home ?? 'TPI-CGK')) {
      const built = endpoint.request ? await endpoint.request(fx, caller) : { path: endpoint.path };
      const res = await send(ctx, endpoint, caller, built);
      actual[caller.column] = res.status;
      if (res.status >= 400 && res.headers['content-type']?.includes('json')) {
        // Every refusal is in the error format.
        expect(res.body.error).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String) }));
      }
      if (res.status >= 500) bodies[caller.column] = res.body;
    }
    const expected = Object.fromEntries(callerColumns.map((column, i) => [column, endpoint.expect[i]]));
    expect({ statuses: actual, serverErrors: bodies }).toEqual({ statuses: expected, serverErrors: {} });
  });
});

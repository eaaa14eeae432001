import { isDeepStrictEqual } from 'node:util';
import { departureCheckExample, passportApplicationExample } from '../../src/applications/openapi';
import { apiRoutes } from '../../src/openapi/document';
import { reasonCodes } from '../../src/postponements/reasons';
import { departureCheckInputSchema, passportApplicationInputSchema } from '../../src/screening/application-schema';
import * as payloads from '../applications/payloads';
import { api, createTestContext, type TestContext } from '../support/harness';
import { registeredRoutes } from '../support/routes';

/** Routes that are not part of the API contract: the contract itself and the browser console (and / that leads to it). */
const outsideTheContract = (path: string) => path === '/' || path.startsWith('/api/openapi.json') || path.startsWith('/api/docs') || path.startsWith('/console');

const key = (method: string, path: string) => `${method.toUpperCase()} ${path.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/(.)\/$/, '$1')}`;

describe('API contract', () => {
  let ctx: TestContext;
  let spec: { openapi: string; paths: Record<string, Record<string, unknown>> };

  beforeAll(async () => {
    ctx = await createTestContext();
    spec = (await api(ctx).get('/api/openapi.json')).body;
  });
  afterAll(() => ctx.close());

  it('given the running app, when the OpenAPI document is fetched, then it is OpenAPI 3.1 with a bearer scheme and the error schema', () => {
    expect(spec.openapi).toBe('3.1.0');
    expect(JSON.stringify(spec)).toContain('"bearer"');
    expect(Object.keys((spec as unknown as { components: { schemas: object } }).components.schemas)).toEqual(expect.arrayContaining(['Error', 'Decision', 'RuleHit']));
  });

  it('given every route the app registers, when compared with the document, then none is missing', () => {
    const documented = new Set(Object.entries(spec.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => key(method, path))));
    const missing = registeredRoutes(ctx.app)
      .filter((route) => !outsideTheContract(route.path))
      .map((route) => key(route.method, route.path))
      .filter((route) => !documented.has(route));
    expect(missing).toEqual([]);
  });

  it('given every documented operation, when compared with the app, then each one exists (no stale documentation)', () => {
    const registered = new Set(registeredRoutes(ctx.app).map((route) => key(route.method, route.path)));
    const stale = Object.entries(spec.paths)
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => key(method, path)))
      .filter((operation) => !registered.has(operation));
    expect(stale).toEqual([]);
  });

  it.each(apiRoutes.filter((route) => route.body && route.example !== undefined).map((route) => [key(route.method, route.path), route] as const))(
    'given the example of %s, when validated with the schema the route uses, then it passes',
    (_name, route) => {
      const result = route.body!.safeParse(route.example);
      expect(result.success ? [] : result.error.issues).toEqual([]);
    },
  );

  it('given every documented operation, then it has a stable operationId, unique in the document, that names a generated client method', () => {
    const operations = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ operation: key(method, path), operationId: (operation as { operationId?: string }).operationId })),
    );
    expect(operations.filter((entry) => !entry.operationId || !/^[a-z][A-Za-z0-9]*$/.test(entry.operationId))).toEqual([]);
    const ids = operations.map((entry) => entry.operationId);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    // Stable: the names clients were generated with keep working (a rename is a breaking change).
    expect(Object.fromEntries(operations.filter((entry) => ['POST /api/v1/departure-checks', 'POST /api/v1/cases/next', 'GET /api/v1/postponements/export.csv'].includes(entry.operation)).map((entry) => [entry.operation, entry.operationId]))).toEqual({
      'POST /api/v1/departure-checks': 'submitDepartureCheck',
      'POST /api/v1/cases/next': 'claimNextCase',
      'GET /api/v1/postponements/export.csv': 'exportPostponementsCsv',
    });
  });

  it('given every write operation with a JSON body, then the document carries an example for it', () => {
    const withoutExample = apiRoutes.filter((route) => route.body && route.example === undefined).map((route) => key(route.method, route.path));
    expect(withoutExample).toEqual([]);
  });

  it('given the reason codes, when the document is read, then they are one enum, the one list, and every body or record carrying a reason code points at it', () => {
    const doc = spec as unknown as { components: { schemas: Record<string, { enum?: string[] }> }; paths: Record<string, Record<string, unknown>> };
    expect(doc.components.schemas.ReasonCode?.enum).toEqual(reasonCodes.map((r) => r.code));
    expect(doc.components.schemas.PostponementReasonCode?.enum).toEqual(reasonCodes.filter((r) => (r.actions as readonly string[]).includes('postpone')).map((r) => r.code));
    const refTo = (value: unknown) => JSON.stringify(value);
    expect(refTo(doc.paths['/api/v1/cases/{id}/decision']?.post)).toContain('#/components/schemas/ReasonCode');
    expect(refTo(doc.paths['/api/v1/postponements']?.post)).toContain('#/components/schemas/ReasonCode');
    expect(refTo(doc.components.schemas.Postponement ?? doc)).toContain('#/components/schemas/PostponementReasonCode');
  });

  it('given the example requests, then each is a valid application and none is a copy of a test fixture', () => {
    expect(departureCheckInputSchema.safeParse(departureCheckExample).success).toBe(true);
    expect(passportApplicationInputSchema.safeParse(passportApplicationExample).success).toBe(true);
    const fixtures = (Object.values(payloads) as unknown[])
      .filter((value): value is () => unknown => typeof value === 'function' && value.length === 0)
      .map((make) => make() as Record<string, unknown>);
    // No fixture's person either: the documentation's traveller is nobody the tests screen.
    const identities = new Set(fixtures.map((fixture) => ((fixture.traveller ?? fixture.applicant) as { nik?: string } | undefined)?.nik));
    for (const example of [departureCheckExample, passportApplicationExample]) {
      expect(fixtures.some((fixture) => isDeepStrictEqual(fixture, example))).toBe(false);
      const person = ('traveller' in example ? example.traveller : example.applicant) as { nik: string };
      expect(identities.has(person.nik)).toBe(false);
    }
  });

  it('given a browser, when the docs page is opened, then it and its script are served locally', async () => {
    const page = await api(ctx).get('/api/docs');
    expect(page.status).toBe(200);
    expect(page.text).toContain('/api/docs/assets/swagger-ui-bundle.js');
    expect(page.text).not.toMatch(/https?:\/\//);
    const script = await api(ctx).get('/api/docs/assets/swagger-ui-bundle.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
  });
});

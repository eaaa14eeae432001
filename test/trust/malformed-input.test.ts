import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import fc from 'fast-check';
import { openApiDocument } from '../../src/openapi/document';
import { createTestContext, type TestContext } from '../support/harness';
import { registeredRoutes } from '../support/routes';
import { callerColumns, endpoints, Fixtures, routeKey, routesOfThisBuild, type BuiltRequest, type Caller, type Endpoint } from './endpoints';
import { rowCounts } from './support';

/**
 * At least 10,000 generated malformed bodies across every write endpoint: wrong types, huge strings,
 * deep nesting, unicode edge cases, prototype-pollution keys, broken JSON, wrong media types and
 * encodings. Each must get a 4xx in the error format, never a 5xx, and nothing may be written.
 *
 * Bodies are mutations of a body the endpoint accepts from an allowed caller, chosen so the result
 * breaks the endpoint's contract: a value of the wrong JSON type, an unknown key at the (strict) root,
 * a non-object root, text that is not JSON, a media type or encoding the endpoint does not take.
 * Endpoints without a JSON body (claim, next, publish...) get the transport-level malformations only;
 * a well-formed body they ignore is not malformed. Batch uploads record bad rows as rejected rows by
 * design, so they too get transport-level malformations only.
 */

const TOTAL_BODIES = 10_000;
const IN_FLIGHT = 8;

type JsonType = 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object';
type Path = (string | number)[];

interface Malformed {
  what: string;
  contentType: string;
  body: string | Buffer;
  contentEncoding?: string;
}

/** Counterexamples print as what was sent, not as the (possibly 400 kB) body. */
const named = (malformed: Malformed): Malformed =>
  Object.assign(malformed, { [fc.toStringMethod]: () => `${malformed.what.slice(0, 120)} (${malformed.contentType}${malformed.contentEncoding ? `, ${malformed.contentEncoding}` : ''})` });

const typeOf = (value: unknown): JsonType =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'object' ? 'object' : (typeof value as 'string' | 'number' | 'boolean');

/** Every node of a JSON value with its path (the root included), for picking where to break it. */
function nodesOf(value: unknown, path: Path = []): { path: Path; type: JsonType }[] {
  const here = { path, type: typeOf(value) };
  if (Array.isArray(value)) return [here, ...value.flatMap((item, i) => nodesOf(item, [...path, i]))];
  if (value !== null && typeof value === 'object') return [here, ...Object.entries(value).flatMap(([key, inner]) => nodesOf(inner, [...path, key]))];
  return [here];
}

const SENTINEL = '\u0000__raw__\u0000';

/** JSON text of `base` with the node at `path` replaced by `replacement` (a value, or raw JSON text). */
function withReplaced(base: unknown, path: Path, replacement: { value: unknown } | { raw: string }): string {
  const marker = 'raw' in replacement ? SENTINEL : replacement.value;
  let text: string;
  if (path.length === 0) {
    text = JSON.stringify(marker);
  } else {
    const copy = structuredClone(base) as Record<string | number, unknown>;
    let parent: Record<string | number, unknown> = copy;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
    parent[path[path.length - 1]!] = marker;
    text = JSON.stringify(copy);
  }
  return 'raw' in replacement ? text.replace(JSON.stringify(SENTINEL), () => replacement.raw) : text;
}

/** JSON text of the root object `base` with one more own key (`__proto__` stays a key, not a prototype). */
function withExtraRootKey(base: Record<string, unknown>, key: string, value: unknown): string {
  const inner = JSON.stringify(base).slice(1, -1);
  const extra = `${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}`;
  return `{${inner}${inner ? ',' : ''}${extra}}`;
}

const unicodeEdges = [
  '\ud800',
  '\udfff',
  'a\ud83dz',
  '\u0000',
  '\ufeff',
  '\u202eevil\u202c',
  '\u200b\u200c\u200d',
  'e\u0301\u0301\u0301\u0301',
  '👩‍👩‍👧‍👦',
  '３１７１０１２３４５６７０００１',
  '٣١٧١٠١٢٣٤٥٦٧٠٠٠١',
  '\u2028\u2029',
  '\uffff\ufffe',
  'İıſK',
  '𝟘𝟙𝟚',
  'Z̴̡̛̤͓͉̙̞̔̌̀̑a̵l̸g̶o̷',
];
const unicodeString = fc.oneof(fc.constantFrom(...unicodeEdges), fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }));
const jsonValue = fc.jsonValue({ maxDepth: 3 });
const finiteNumber = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -1, 1e308, -1e-308, 2 ** 53 + 1));
const jsonArray = fc.array(jsonValue, { maxLength: 4 });
const jsonObject = fc.dictionary(fc.string({ maxLength: 8 }), jsonValue, { maxKeys: 4 });

/** A value whose JSON type differs from `type` (never null: a field may be nullable). */
function otherType(type: JsonType): fc.Arbitrary<unknown> {
  const choices: Record<Exclude<JsonType, 'null'>, fc.Arbitrary<unknown>> = {
    string: fc.oneof(unicodeString, fc.string()),
    number: finiteNumber,
    boolean: fc.boolean(),
    array: jsonArray,
    object: jsonObject,
  };
  return fc.oneof(...Object.entries(choices).filter(([t]) => t !== type).map(([, arbitrary]) => arbitrary));
}

const pollutingKeys = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__', 'valueOf'];
const pollution = { __proto__: { polluted: 'yes' }, constructor: { prototype: { polluted: 'yes' } } };
const pollutionText = '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"polluted":"yes"}}';

/** Malformations that do not depend on the body the endpoint takes. */
function transportMalformations(validText: string): fc.Arbitrary<Malformed> {
  const json = 'application/json';
  return fc.oneof(
    fc.integer({ min: 1, max: Math.max(1, validText.length - 1) }).map((cut) => ({ what: `truncated at ${cut}`, contentType: json, body: validText.slice(0, cut) })),
    fc
      .constantFrom(
        "{'single': 'quotes'}",
        '{"a": NaN}',
        '{"a": Infinity}',
        '{"a": undefined}',
        '{"a": 1,}',
        '[1, 2,]',
        '{"a": 01}',
        '{"a": "\\x41"}',
        '{"a": "tab\tinside"}',
        '{"a" 1}',
        '/* comment */ {}',
        '{"a": 1} {"b": 2}',
        '"just a string"',
        '12345',
        'true',
        'null',
        '\ufeff{}garbage',
        '{"a": "\\ud800"',
        '{{{{',
        ']',
      )
      .map((text) => ({ what: `not JSON: ${text}`, contentType: json, body: text })),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }).filter((text) => {
      try {
        JSON.parse(text);
        return false;
      } catch {
        return true;
      }
    }).map((text) => ({ what: 'random text as JSON', contentType: json, body: text })),
    fc.uint8Array({ minLength: 1, maxLength: 300 }).map((bytes) => ({ what: 'random bytes as JSON', contentType: json, body: Buffer.concat([Buffer.from([0xff, 0xfe, 0x00]), Buffer.from(bytes)]) })),
    fc
      .constantFrom('text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/octet-stream', 'image/png')
      .map((contentType) => ({ what: `wrong media type ${contentType}`, contentType, body: validText })),
    fc
      .constantFrom('application/json; charset=klingon', 'application/json; charset=x-no-such-charset', 'application/json; charset=utf-99')
      .map((contentType) => ({ what: `unsupported charset ${contentType}`, contentType, body: validText })),
    fc
      .constantFrom('gzip', 'deflate', 'br', 'compress', 'identity, gzip', 'x-unknown')
      .map((contentEncoding) => ({ what: `body claiming ${contentEncoding} encoding`, contentType: json, contentEncoding, body: validText })),
    fc.constant({ what: 'over the body limit', contentType: json, body: `{"a":"${'x'.repeat(300 * 1024)}"}` }),
  );
}

/** Malformations of a JSON object body: each breaks the endpoint's schema. */
function jsonMalformations(valid: Record<string, unknown>): fc.Arbitrary<Malformed> {
  const nodes = nodesOf(valid).filter((node) => node.type !== 'null');
  const json = (what: string, body: string): Malformed => ({ what, contentType: 'application/json', body });
  const node = fc.constantFrom(...nodes);
  const leafOfType = (pick: (type: JsonType) => boolean) => {
    const candidates = nodes.filter((n) => pick(n.type));
    return candidates.length > 0 ? fc.constantFrom(...candidates) : fc.constant({ path: [] as Path, type: 'object' as JsonType });
  };
  const stringLeaves = nodes.filter((n) => n.type === 'string');
  return fc.oneof(
    // The root is not an object at all.
    fc.oneof(fc.constant(null), fc.boolean(), finiteNumber, fc.string(), jsonArray).map((root) => json(`root ${JSON.stringify(root)?.slice(0, 40)}`, JSON.stringify(root))),
    // A value of the wrong type somewhere.
    node.chain(({ path, type }) => otherType(type).map((value) => json(`wrong type at ${path.join('.') || '(root)'}: ${JSON.stringify(value)?.slice(0, 60)}`, withReplaced(valid, path, { value })))),
    // Prototype-pollution attempts: as an unknown root key, or as an object where a scalar or array belongs.
    fc.tuple(fc.constantFrom(...pollutingKeys), fc.oneof(jsonValue, fc.constant(pollution))).map(([key, value]) => json(`root key ${key}`, withExtraRootKey(valid, key, value))),
    leafOfType((t) => t !== 'object').map(({ path }) => json(`pollution object at ${path.join('.')}`, withReplaced(valid, path, { raw: pollutionText }))),
    // Deep nesting where a scalar, an array of scalars or an object belongs, or as the whole body.
    fc.tuple(node, fc.integer({ min: 50, max: 20_000 }), fc.boolean()).map(([{ path, type }, depth, arrays]) => {
      const nested = arrays || type === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
      const raw = type === 'array' ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` : nested;
      return json(`nesting ${depth} deep at ${path.join('.') || '(root)'}`, withReplaced(valid, path, { raw }));
    }),
    // Huge strings where something else belongs, under an unknown key, or over the body limit.
    fc.tuple(leafOfType((t) => t !== 'string'), fc.integer({ min: 1_000, max: 400_000 })).map(([{ path }, size]) => json(`${size}-character string at ${path.join('.') || '(root)'}`, withReplaced(valid, path, { value: 'x'.repeat(size) }))),
    fc.integer({ min: 1_000, max: 400_000 }).map((size) => json(`${size}-character unknown key`, withExtraRootKey(valid, 'k'.repeat(size), 1))),
    // Unicode edge cases: as unknown keys, where a non-string belongs, and in every string field beside an unknown key.
    fc.tuple(unicodeString, jsonValue).map(([key, value]) => json(`unicode root key ${JSON.stringify(key)}`, withExtraRootKey(valid, key, value))),
    fc.tuple(leafOfType((t) => t !== 'string'), unicodeString).map(([{ path }, text]) => json(`unicode ${JSON.stringify(text)} at ${path.join('.')}`, withReplaced(valid, path, { value: text }))),
    fc.array(unicodeString, { minLength: Math.max(1, stringLeaves.length), maxLength: Math.max(1, stringLeaves.length) }).map((texts) => {
      const copy = structuredClone(valid);
      stringLeaves.forEach(({ path }, i) => {
        let parent = copy as Record<string | number, unknown>;
        for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
        parent[path[path.length - 1]!] = texts[i];
      });
      return json('unicode in every string field, plus an unknown key', withExtraRootKey(copy, '\u0000unknown\ud800', true));
    }),
  );
}

/** Query parameters each GET route documents, by route key (`GET /api/v1/applications`). */
function documentedQueryParameters(): Map<string, string[]> {
  const doc = openApiDocument() as unknown as { paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>> };
  const byRoute = new Map<string, string[]>();
  for (const [path, operations] of Object.entries(doc.paths)) {
    const names = (operations.get?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
    if (names.length > 0) byRoute.set(routeKey('get', path.replace(/\{(\w+)\}/g, ':$1')), names);
  }
  return byRoute;
}
const withoutTrailingSlash = (key: string) => key.replace(/(.)\/$/, '$1');
const withQuery = (path: string, query: string) => `${path}${path.includes('?') ? '&' : '?'}${query}`;
const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

const someId = '0b5f6f8e-1c2d-4e3f-8a9b-0c1d2e3f4a5b';
/**
 * Cursors no list issued, each refused by every list's cursor schema (time and id, time and key, audit
 * id): a moment that is not one, an id that is not a UUID, text PostgreSQL cannot store, numbers out of
 * range, other JSON, no JSON, no base64.
 */
const badCursors: [string, string][] = [
  ['at not a timestamp', cursorOf({ at: 'yesterday', id: someId, key: someId })],
  ['at 31 February', cursorOf({ at: '2026-02-31T10:00:00.000Z', id: someId, key: someId })],
  ['at hour 24', cursorOf({ at: '2026-01-01T24:00:00Z', id: someId, key: someId })],
  ['at year 0', cursorOf({ at: '0000-01-01T00:00:00Z', id: someId, key: someId })],
  ['at a SQL fragment', cursorOf({ at: "2026-01-01'::timestamptz; select 1 --", id: someId, key: someId })],
  ['at a number', cursorOf({ at: 1767225600000, id: someId, key: someId })],
  ['id and key not UUIDs', cursorOf({ at: '2026-01-01T00:00:00Z', id: 'not-a-uuid', key: 'not-a-uuid' })],
  ['id a number', cursorOf({ at: '2026-01-01T00:00:00Z', id: 7 })],
  ['NUL in at', cursorOf({ at: '2026-01-01T00:00:00Z\u0000', id: someId, key: someId })],
  ['lone surrogate in key', cursorOf({ at: '2026-01-01T00:00:00Z', key: 'v\ud800' })],
  ['audit id negative', cursorOf({ id: -1 })],
  ['audit id beyond 2^53', cursorOf({ id: 1e300 })],
  ['audit id a fraction', cursorOf({ id: 1.5 })],
  ['audit id as text', cursorOf({ id: '1' })],
  ['an array', cursorOf([someId])],
  ['null', cursorOf(null)],
  ['deep nesting', Buffer.from(`${'['.repeat(5000)}${']'.repeat(5000)}`).toString('base64url').slice(0, 500)],
  ['not JSON', Buffer.from('{at:').toString('base64url')],
  ['not base64', '!!!%%%***'],
  ['NUL in the raw cursor', 'eyJ\u0000'],
];

describe('malformed input', () => {
  let ctx: TestContext;
  let fx: Fixtures;
  let server: Server;
  let base: string;
  let before: Record<string, number>;
  const targets = new Map<string, { caller: Caller; built: BuiltRequest }>();
  let sent = 0;

  const present = routesOfThisBuild();
  const writeEndpoints = endpoints.filter((endpoint) => endpoint.method !== 'get' && (!present || present.has(routeKey(endpoint.method, endpoint.path))));
  const bodiesPerEndpoint = Math.ceil(TOTAL_BODIES / writeEndpoints.length / IN_FLIGHT) * IN_FLIGHT;
  const readEndpoints = endpoints.filter((endpoint) => endpoint.method === 'get' && (!present || present.has(routeKey(endpoint.method, endpoint.path))));
  const queryParameters = documentedQueryParameters();
  const parametersOf = (endpoint: Endpoint) => queryParameters.get(withoutTrailingSlash(routeKey(endpoint.method, endpoint.path))) ?? [];
  const listEndpoints = readEndpoints.filter((endpoint) => parametersOf(endpoint).includes('cursor'));
  const filteredEndpoints = readEndpoints.filter((endpoint) => parametersOf(endpoint).length > 0);


  /** The first caller the table lets through authorisation, and a request that caller may make. */
  async function allowedRequest(endpoint: Endpoint): Promise<{ caller: Caller; built: BuiltRequest }> {
    const index = endpoint.expect.findIndex((status) => ![401, 403, 404].includes(status));
    if (index < 0) throw new Error(`${routeKey(endpoint.method, endpoint.path)}: no caller in the table may call it`);
    const caller = fx.callers(endpoint.home ?? 'TPI-CGK').find((c) => c.column === callerColumns[index])!;
    const built = endpoint.request ? await endpoint.request(fx, caller) : { path: endpoint.path };
    return { caller, built };
  }

  beforeAll(async () => {
    ctx = await createTestContext({ API_RATE_LIMIT_PER_MINUTE: '1000000', LOGIN_RATE_LIMIT: '10000', NOTICE_VERIFY_RATE_LIMIT: '10000' });
    fx = new Fixtures(ctx);
    await fx.setUp();
    for (const endpoint of writeEndpoints) targets.set(routeKey(endpoint.method, endpoint.path), await allowedRequest(endpoint));
    // Reads that get bad cursors and query filters: their fixtures are made before the row count too.
    for (const endpoint of [...new Set([...listEndpoints, ...filteredEndpoints])]) targets.set(routeKey(endpoint.method, endpoint.path), await allowedRequest(endpoint));
    server = ctx.app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    before = await rowCounts(ctx);
  }, 60_000);
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await ctx.close();
  });

  it('given every write route the app registers, then it has a row that says what body it takes', () => {
    const withoutBodyKind = registeredRoutes(ctx.app)
      .filter((route) => route.method !== 'get')
      .map((route) => routeKey(route.method, route.path))
      .filter((key) => !writeEndpoints.some((endpoint) => routeKey(endpoint.method, endpoint.path) === key && endpoint.body !== undefined));
    expect(withoutBodyKind).toEqual([]);
  });

  async function sendRaw(endpoint: Endpoint, path: string, token: string | null, malformed: Malformed) {
    const headers: Record<string, string> = { 'content-type': malformed.contentType };
    if (token) headers.authorization = `Bearer ${token}`;
    if (malformed.contentEncoding) headers['content-encoding'] = malformed.contentEncoding;
    const res = await fetch(`${base}${path}`, { method: endpoint.method.toUpperCase(), headers, body: malformed.body });
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = text.slice(0, 200);
    }
    return { status: res.status, body };
  }

  it.each(writeEndpoints.map((endpoint) => [routeKey(endpoint.method, endpoint.path), endpoint] as const))(
    `given ${bodiesPerEndpoint} malformed bodies to %s, then each gets a 4xx in the error format`,
    async (key, endpoint: Endpoint) => {
      const { caller, built } = targets.get(key)!;
      const token = built.token ?? caller.token;
      const validText = typeof built.body === 'string' ? built.body : JSON.stringify(built.body ?? {});
      const takesJson = endpoint.body === 'json' && built.body !== null && typeof built.body === 'object' && !Array.isArray(built.body);
      // A DELETE's body is never read, so its media type is not checked: only broken JSON is refused there.
      const transport = transportMalformations(validText).filter((m) => endpoint.method !== 'delete' || m.contentType.startsWith('application/json'));
      const arbitrary = (takesJson ? fc.oneof(jsonMalformations(built.body as Record<string, unknown>), transport) : transport).map(named);
      await fc.assert(
        fc.asyncProperty(fc.array(arbitrary, { minLength: IN_FLIGHT, maxLength: IN_FLIGHT }), async (batch) => {
          const answers = await Promise.all(batch.map((malformed) => sendRaw(endpoint, built.path, token, malformed)));
          sent += batch.length;
          answers.forEach(({ status, body }, i) => {
            const context = { endpoint: key, sent: batch[i]!.what.slice(0, 200), body };
            const error = (body as { error?: Record<string, unknown> } | null)?.error;
            const inErrorFormat =
              typeof body === 'object' && body !== null && Object.keys(body).length === 1 && typeof error?.code === 'string' && typeof error.message === 'string' && 'details' in error && Object.keys(error).length === 3;
            expect({ ...context, status: status >= 400 && status < 500 ? '4xx' : status, inErrorFormat }).toEqual({ ...context, status: '4xx', inErrorFormat: true });
          });
        }),
        { numRuns: bodiesPerEndpoint / IN_FLIGHT, endOnFailure: true },
      );
    },
    60_000,
  );

  async function sendGet(path: string, token: string | null) {
    const res = await fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const text = await res.text();
    let body: unknown = text.slice(0, 200);
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: kept as text for the report
    }
    return { status: res.status, body: body as { error?: { code?: string; details?: { path?: string }[] } } & Record<string, unknown> };
  }

  it('given the OpenAPI document, then it names the lists that take a cursor, so each gets the cursor cases below', () => {
    expect(listEndpoints.map((endpoint) => routeKey(endpoint.method, endpoint.path))).toEqual(
      expect.arrayContaining(['GET /api/v1/applications', 'GET /api/v1/cases', 'GET /api/v1/audit', 'GET /api/v1/rulesets', 'GET /api/v1/batches', 'GET /api/v1/watchlists/entries']),
    );
    expect(listEndpoints.length).toBeGreaterThanOrEqual(9);
  });

  it.each(listEndpoints.map((endpoint) => [routeKey(endpoint.method, endpoint.path), endpoint] as const))(
    `given ${badCursors.length} cursors no list issued, and generated ones, when sent to %s, then each is a 400 naming the cursor, and a cursor the list issued still pages`,
    async (_key, endpoint: Endpoint) => {
      const { caller, built } = targets.get(routeKey(endpoint.method, endpoint.path))!;
      const token = built.token ?? caller.token;
      for (const [what, cursor] of badCursors) {
        const { status, body } = await sendGet(withQuery(built.path, `cursor=${encodeURIComponent(cursor)}`), token);
        expect({ what, status, path: body.error?.details?.[0]?.path }).toEqual({ what, status: 400, path: 'cursor' });
      }
      await fc.assert(
        fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (value) => {
          const { status } = await sendGet(withQuery(built.path, `cursor=${cursorOf(value)}`), token);
          expect({ value, status: status < 500 ? 'not 5xx' : status }).toEqual({ value, status: 'not 5xx' });
        }),
        { numRuns: 40 },
      );
      const first = await sendGet(withQuery(built.path, 'limit=1'), token);
      expect(first.status).toBe(200);
      if (typeof first.body.nextCursor === 'string') {
        expect((await sendGet(withQuery(built.path, `limit=1&cursor=${first.body.nextCursor}`), token)).status).toBe(200);
      }
    },
    30_000,
  );

  it.each(filteredEndpoints.map((endpoint) => [routeKey(endpoint.method, endpoint.path), endpoint] as const))(
    'given a NUL in each query parameter %s documents, then each is a 400 naming the parameter',
    async (_key, endpoint: Endpoint) => {
      const { caller, built } = targets.get(routeKey(endpoint.method, endpoint.path))!;
      for (const name of parametersOf(endpoint)) {
        const { status, body } = await sendGet(withQuery(built.path, `${name}=${encodeURIComponent('a\u0000b')}`), built.token ?? caller.token);
        expect({ name, status, path: body.error?.details?.[0]?.path }).toEqual({ name, status: 400, path: name });
      }
    },
  );

  /** Every string of a JSON body: where to put text PostgreSQL cannot store. */
  const jsonBodyEndpoints = writeEndpoints.filter((endpoint) => endpoint.body === 'json');
  // Sign-in compares credentials and stores nothing from them: such a username is a failed (audited) sign-in, see audit.test.ts.
  const storingJsonEndpoints = jsonBodyEndpoints.filter((endpoint) => endpoint.path !== '/api/v1/auth/login');

  it.each(storingJsonEndpoints.map((endpoint) => [routeKey(endpoint.method, endpoint.path), endpoint] as const))(
    'given a NUL or an unpaired surrogate in each string of a body %s accepts (and in a key), then each is a 400 naming the field',
    async (key, endpoint: Endpoint) => {
      const { caller, built } = targets.get(key)!;
      const token = built.token ?? caller.token;
      const valid = (built.body ?? {}) as Record<string, unknown>;
      const strings = nodesOf(valid).filter((node) => node.type === 'string');
      const cases: { where: string; body: string }[] = [];
      for (const { path } of strings) {
        let value: unknown = valid;
        for (const step of path) value = (value as Record<string | number, unknown>)[step];
        for (const bad of ['\u0000', '\ud800', '\udfff', 'a\ud83dz']) cases.push({ where: path.join('.'), body: withReplaced(valid, path, { value: `${String(value)}${bad}` }) });
      }
      // With no string in the body (an approval's boolean), a string field of its own name: still named.
      if (strings.length === 0) cases.push({ where: 'n\ufffdl', body: withExtraRootKey(valid, 'n\u0000l', 'x') });
      for (const { where, body } of cases) {
        const { status, body: answer } = await sendRaw(endpoint, built.path, token, { what: where, contentType: 'application/json', body });
        const details = ((answer as { error?: { details?: { path: string }[] } }).error?.details ?? []).map((d) => d.path);
        expect({ where, status, named: details.includes(where) }).toEqual({ where, status: 400, named: true });
      }
    },
    30_000,
  );

  it(`given all of them (at least ${TOTAL_BODIES}), then nothing was written and no prototype was polluted`, async () => {
    expect(sent).toBeGreaterThanOrEqual(TOTAL_BODIES);
    expect(await rowCounts(ctx)).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });
});

import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../src/app';
import { loadScreener } from '../../src/screening/screener';
import { cambodiaLure } from '../applications/payloads';
import { bearer, createTestContext, type TestContext } from '../support/harness';

describe('request logs', () => {
  let ctx: TestContext;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  it('given a signed-in officer screens a traveller, when the request is logged, then the line has request id, user id, role and office and no personal data', async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const app = createApp({ config: ctx.config, db: ctx.database.db, jobs: ctx.jobs, screener: loadScreener(ctx.config.RULES_DIR), logger: pino({ level: 'info' }, sink) });
    const officer = await ctx.userFor('officer', 'TPI-CGK');

    const res = await request(app).post('/api/v1/departure-checks').set(bearer(officer.token)).send(cambodiaLure());

    expect(res.status).toBe(201);
    const line = lines.find((entry) => (entry.req as { path?: string } | undefined)?.path === '/api/v1/departure-checks');
    expect(line).toMatchObject({ userId: officer.id, role: 'officer', office: 'TPI-CGK', res: { statusCode: 201 } });
    expect((line!.req as { id: string }).id).toBe(res.headers['x-request-id']);
    const text = JSON.stringify(lines);
    for (const secret of ['3201235403010001', 'C1234567', '81234567890', 'Rina', officer.token]) expect(text).not.toContain(secret);
  });
});

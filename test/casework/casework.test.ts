/**
 * Case notes and evidence attachments through the real API, PostgreSQL and the local attachment
 * folder; the S3 path against s3rver on loopback.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { api, bearer, createTestContext, type TestContext } from '../support/harness';
import { insertFlaggedApplication } from '../support/fixtures';
import { multipart, TINY_PDF, TINY_PNG } from '../support/multipart';

const folder = mkdtempSync(path.join(tmpdir(), 'saring-attachments-'));
let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext({ ATTACHMENTS_DIR: folder, ATTACHMENTS_MAX_BYTES: '65536' });
});
afterAll(async () => {
  await ctx?.close();
  rmSync(folder, { recursive: true, force: true });
});

const filesIn = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => /\.|[0-9a-f-]{36}$/.test(path.basename(name)) && !name.endsWith('/'));
const storedFiles = () => filesIn(folder).filter((name) => name.split(path.sep).length === 2);
const count = async (table: string) => (await ctx.database.pool.query<{ n: number }>(`select count(*)::int as n from ${table}`)).rows[0]!.n;

async function openCase(officeCode = 'TPI-CGK') {
  const { caseRow } = await insertFlaggedApplication(ctx.database.db, { officeCode });
  return caseRow!.id;
}

function upload(caseId: string, token: string, fields: Record<string, string>, file?: Parameters<typeof multipart>[1]) {
  const { body, contentType } = multipart(fields, file);
  return api(ctx).post(`/api/v1/cases/${caseId}/attachments`).set(bearer(token)).set('Content-Type', contentType).send(body);
}

describe('case notes', () => {
  it('given a case, when an officer adds notes, then they are listed oldest first with author and time, audited without their text, and cannot be changed', async () => {
    const officer = await ctx.userFor('officer', 'TPI-CGK');
    const caseId = await openCase();
    const text = 'Pelaku perjalanan menunjukkan iklan lowongan "customer service" di Facebook.';
    const first = await api(ctx).post(`/api/v1/cases/${caseId}/notes`).set(bearer(officer.token)).send({ body: text });
    expect(first.status).toBe(201);
    expect(first.body).toEqual(expect.objectContaining({ caseId, authorId: officer.id, authorRole: 'officer', body: text, createdAt: expect.any(String) }));
    await api(ctx).post(`/api/v1/cases/${caseId}/notes`).set(bearer(officer.token)).send({ body: 'Catatan kedua.' });

    const listed = await api(ctx).get(`/api/v1/cases/${caseId}/notes`).set(bearer(officer.token));
    expect(listed.body.items.map((n: { body: string }) => n.body)).toEqual([text, 'Catatan kedua.']);

    const history = (await api(ctx).get(`/api/v1/cases/${caseId}`).set(bearer(officer.token))).body.history;
    const audited = history.filter((entry: { action: string }) => entry.action === 'case.note_added');
    expect(audited).toHaveLength(2);
    expect(JSON.stringify(audited)).not.toContain('Facebook');

    await expect(ctx.database.pool.query('update case_notes set body = $1 where case_id = $2', ['changed', caseId])).rejects.toThrow(/append-only/);
    await expect(ctx.database.pool.query('delete from case_notes where case_id = $1', [caseId])).rejects.toThrow(/append-only/);
  });

  it('given a case of another office, when an officer reads or writes its notes, then it does not exist for them; an empty note is refused', async () => {
    const elsewhere = await ctx.userFor('officer', 'TPI-DPS');
    const officer = await ctx.userFor('officer', 'TPI-CGK');
    const caseId = await openCase('TPI-CGK');
    expect((await api(ctx).get(`/api/v1/cases/${caseId}/notes`).set(bearer(elsewhere.token))).status).toBe(404);
    expect((await api(ctx).post(`/api/v1/cases/${caseId}/notes`).set(bearer(elsewhere.token)).send({ body: 'x' })).status).toBe(404);
    const empty = await api(ctx).post(`/api/v1/cases/${caseId}/notes`).set(bearer(officer.token)).send({ body: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.details[0].path).toBe('body');
  });
});

describe('case attachments on local disk', () => {
  it('given a photo of a job advert, when it is uploaded, then it is listed with its SHA-256 and downloads byte for byte as an attachment with safe headers', async () => {
    const officer = await ctx.userFor('officer', 'TPI-CGK');
    const caseId = await openCase();
    const res = await upload(caseId, officer.token, { kind: 'job_advert', description: 'Iklan di Facebook' }, { name: '../../iklan lowongan.png', type: 'image/png', bytes: TINY_PNG });
    expect(res.status).toBe(201);
    const sha256 = createHash('sha256').update(TINY_PNG).digest('hex');
    expect(res.body).toEqual(expect.objectContaining({ kind: 'job_advert', mediaType: 'image/png', sizeBytes: TINY_PNG.length, sha256, fileName: 'iklan lowongan.png', supersededAt: null }));
    expect(res.body.storageKey).toBeUndefined();
    expect(storedFiles()).toContain(path.join(caseId, res.body.id));

    const listed = await api(ctx).get(`/api/v1/cases/${caseId}/attachments`).set(bearer(officer.token));
    expect(listed.body.items.map((a: { id: string }) => a.id)).toEqual([res.body.id]);

    const download = await api(ctx)
      .get(`/api/v1/cases/${caseId}/attachments/${res.body.id}/content`)
      .set(bearer(officer.token))
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(download.status).toBe(200);
    expect(Buffer.compare(download.body as Buffer, TINY_PNG)).toBe(0);
    expect(download.headers['content-type']).toBe('image/png');
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename="iklan lowongan\.png"/);
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers['content-security-policy']).toContain('sandbox');

    const actions = (await api(ctx).get(`/api/v1/cases/${caseId}`).set(bearer(officer.token))).body.history.map((entry: { action: string }) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(['case.attachment_added', 'case.attachment_downloaded']));
  });

  it('given files that are not allowed, too large or broken, when uploaded, then each gets a clear 4xx and leaves no row and no file', async () => {
    const officer = await ctx.userFor('officer', 'TPI-CGK');
    const caseId = await openCase();
    const rowsBefore = await count('case_attachments');
    const filesBefore = storedFiles().length;

    const html = await upload(caseId, officer.token, { kind: 'job_advert' }, { name: 'iklan.png', type: 'image/png', bytes: Buffer.from('<html><script>alert(1)</script></html>') });
    expect(html.status).toBe(415);
    expect(html.body.error.code).toBe('UNSUPPORTED_ATTACHMENT_TYPE');

    const big = await upload(caseId, officer.token, { kind: 'ticket' }, { name: 'tiket.pdf', type: 'application/pdf', bytes: Buffer.concat([TINY_PDF, Buffer.alloc(70_000)]) });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('ATTACHMENT_TOO_LARGE');

    const noKind = await upload(caseId, officer.token, {}, { name: 'tiket.pdf', type: 'application/pdf', bytes: TINY_PDF });
    expect(noKind.status).toBe(400);
    expect(noKind.body.error.details[0].path).toBe('kind');

    const noFile = await upload(caseId, officer.token, { kind: 'ticket' });
    expect(noFile.status).toBe(400);

    const json = await api(ctx).post(`/api/v1/cases/${caseId}/attachments`).set(bearer(officer.token)).send({ kind: 'ticket' });
    expect(json.status).toBe(415);

    const broken = await api(ctx).post(`/api/v1/cases/${caseId}/attachments`).set(bearer(officer.token)).set('Content-Type', 'multipart/form-data; boundary=xyz').send('--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n\x89PNG');
    expect(broken.status).toBe(400);

    const elsewhere = await ctx.userFor('officer', 'TPI-DPS');
    expect((await upload(caseId, elsewhere.token, { kind: 'ticket' }, { name: 'a.pdf', type: 'application/pdf', bytes: TINY_PDF })).status).toBe(404);

    expect(await count('case_attachments')).toBe(rowsBefore);
    expect(storedFiles()).toHaveLength(filesBefore);
    expect(filesIn(folder).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });

  it('given an attachment, when it is superseded with a reason, then it stays listed and downloadable, a second supersession is refused, and the database refuses to delete it', async () => {
    const officer = await ctx.userFor('officer', 'TPI-CGK');
    const caseId = await openCase();
    const old = (await upload(caseId, officer.token, { kind: 'employer_letter' }, { name: 'surat.pdf', type: 'application/pdf', bytes: TINY_PDF })).body;
    const better = (await upload(caseId, officer.token, { kind: 'employer_letter' }, { name: 'surat-jelas.png', type: 'image/png', bytes: TINY_PNG })).body;

    const noReason = await api(ctx).post(`/api/v1/cases/${caseId}/attachments/${old.id}/supersede`).set(bearer(officer.token)).send({ reason: '' });
    expect(noReason.status).toBe(400);
    const superseded = await api(ctx).post(`/api/v1/cases/${caseId}/attachments/${old.id}/supersede`).set(bearer(officer.token)).send({ reason: 'Salinan buram', replacementId: better.id });
    expect(superseded.status).toBe(200);
    expect(superseded.body).toEqual(expect.objectContaining({ supersededReason: 'Salinan buram', supersededBy: better.id, supersededAt: expect.any(String) }));
    expect((await api(ctx).post(`/api/v1/cases/${caseId}/attachments/${old.id}/supersede`).set(bearer(officer.token)).send({ reason: 'lagi' })).status).toBe(409);

    const listed = await api(ctx).get(`/api/v1/cases/${caseId}/attachments`).set(bearer(officer.token));
    expect(listed.body.items).toHaveLength(2);
    expect((await api(ctx).get(`/api/v1/cases/${caseId}/attachments/${old.id}/content`).set(bearer(officer.token))).status).toBe(200);

    await expect(ctx.database.pool.query('delete from case_attachments where id = $1', [old.id])).rejects.toThrow(/never deleted/);
    await expect(ctx.database.pool.query("update case_attachments set file_name = 'x.pdf' where id = $1", [better.id])).rejects.toThrow(/never deleted/);
  });
});

describe('sign-in and sign-out', () => {
  it('given twenty successful logins, when the same username then fails repeatedly, then the successes were never refused and the failures are stopped with when to try again', async () => {
    const limited = await createTestContext({ LOGIN_RATE_LIMIT: '5' });
    try {
      const officer = await limited.userFor('officer', 'TPI-CGK');
      for (let i = 0; i < 20; i++) {
        expect((await api(limited).post('/api/v1/auth/login').send({ username: officer.username, password: officer.password })).status).toBe(200);
      }
      const statuses: number[] = [];
      let refusal: { status: number; headers: Record<string, string>; body: { error: { code: string; message: string; details: { retryAfterSeconds: number; message: { id: string; en: string } } } } } | undefined;
      for (let i = 0; i < 7; i++) {
        const res = await api(limited).post('/api/v1/auth/login').send({ username: officer.username, password: 'wrong password' });
        statuses.push(res.status);
        if (res.status === 429) refusal = res as never;
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
      expect(refusal!.body.error.code).toBe('RATE_LIMITED');
      expect(Number(refusal!.headers['retry-after'])).toBeGreaterThan(0);
      expect(refusal!.body.error.details.retryAfterSeconds).toBeGreaterThan(0);
      expect(refusal!.body.error.details.message.id).toMatch(/Coba lagi dalam \d+ menit, setelah pukul \d{2}\.\d{2} WIB/);
      expect(refusal!.body.error.details.message.en).toMatch(/Try again in \d+ minute/);
      // Even the right password waits now: the limit is on the username, not on the password.
      expect((await api(limited).post('/api/v1/auth/login').send({ username: officer.username, password: officer.password })).status).toBe(429);
      // Another username from the same address still signs in (its own count; the address allows four times as many failures).
      const colleague = await limited.userFor('officer', 'TPI-CGK');
      expect((await api(limited).post('/api/v1/auth/login').send({ username: colleague.username, password: colleague.password })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('given a signed-in officer, when they sign out, then that token is refused and a token from another sign-in still works', async () => {
    const officer = await ctx.userFor('officer', 'TPI-CGK');
    const login = async () => (await api(ctx).post('/api/v1/auth/login').send({ username: officer.username, password: officer.password })).body.token as string;
    const [first, second] = [await login(), await login()];
    expect((await api(ctx).post('/api/v1/auth/logout').set(bearer(first))).status).toBe(204);
    const refused = await api(ctx).get('/api/v1/me').set(bearer(first));
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toBe('Token has been revoked');
    expect((await api(ctx).get('/api/v1/me').set(bearer(second))).status).toBe(200);
  });
});

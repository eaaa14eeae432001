/**
 * Attachments in S3-compatible storage through the official AWS SDK client, against s3rver (an
 * S3-compatible server from npm) on loopback.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { api, bearer, createTestContext, type TestContext } from '../support/harness';
import { insertFlaggedApplication } from '../support/fixtures';
import { multipart, TINY_PNG } from '../support/multipart';

interface S3rverInstance {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
// s3rver ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver') as new (options: { port: number; address: string; silent: boolean; directory: string }) => S3rverInstance;

const directory = mkdtempSync(path.join(tmpdir(), 's3rver-'));
const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory });
let client: S3Client;
let ctx: TestContext;

beforeAll(async () => {
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  // The SDK reads credentials from the standard variables; s3rver accepts these fixed ones.
  process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true });
  await client.send(new CreateBucketCommand({ Bucket: 'saring-evidence' }));
  ctx = await createTestContext({
    ATTACHMENTS_S3_BUCKET: 'saring-evidence',
    ATTACHMENTS_S3_ENDPOINT: endpoint,
    ATTACHMENTS_S3_FORCE_PATH_STYLE: 'true',
    ATTACHMENTS_S3_PREFIX: 'cases/',
  });
});
afterAll(async () => {
  await ctx?.close();
  client?.destroy();
  await server.close();
  rmSync(directory, { recursive: true, force: true });
});

const objects = async () => (await client.send(new ListObjectsV2Command({ Bucket: 'saring-evidence' }))).Contents?.map((o) => o.Key) ?? [];

describe('case attachments in S3-compatible storage', () => {
  it('given a bucket is configured, when a photo is uploaded, then the bytes are an object in the bucket, the download matches them, and a refused file leaves no object', async () => {
    const officer = await ctx.userFor('officer', 'TPI-CGK');
    const { caseRow } = await insertFlaggedApplication(ctx.database.db, { officeCode: 'TPI-CGK' });
    const caseId = caseRow!.id;
    const good = multipart({ kind: 'chat_screenshot' }, { name: 'chat.png', type: 'image/png', bytes: TINY_PNG });
    const stored = await api(ctx).post(`/api/v1/cases/${caseId}/attachments`).set(bearer(officer.token)).set('Content-Type', good.contentType).send(good.body);
    expect(stored.status).toBe(201);
    const key = `cases/${caseId}/${stored.body.id}`;
    expect(await objects()).toEqual([key]);
    const object = await client.send(new GetObjectCommand({ Bucket: 'saring-evidence', Key: key }));
    expect(Buffer.compare(Buffer.from(await object.Body!.transformToByteArray()), TINY_PNG)).toBe(0);

    const download = await api(ctx)
      .get(`/api/v1/cases/${caseId}/attachments/${stored.body.id}/content`)
      .set(bearer(officer.token))
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(download.status).toBe(200);
    expect(Buffer.compare(download.body as Buffer, TINY_PNG)).toBe(0);

    const bad = multipart({ kind: 'chat_screenshot' }, { name: 'chat.png', type: 'image/png', bytes: Buffer.from('GIF89a not allowed') });
    expect((await api(ctx).post(`/api/v1/cases/${caseId}/attachments`).set(bearer(officer.token)).set('Content-Type', bad.contentType).send(bad.body)).status).toBe(415);
    expect(await objects()).toEqual([key]);
  });
});

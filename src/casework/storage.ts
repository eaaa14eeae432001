import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config';

/**
 * Where attachment bytes live. `put` is called before the metadata row commits and `discard` undoes
 * it when that transaction fails, so a refused or failed upload leaves no file behind.
 */
export interface AttachmentStore {
  readonly kind: 'local' | 's3';
  put(key: string, bytes: Buffer, mediaType: string): Promise<void>;
  get(key: string): Promise<Buffer>;
  discard(key: string): Promise<void>;
}

/** Keys are ours (case id / attachment id), never user input; still, nothing may escape the folder. */
const safeKey = (key: string) => {
  if (!/^[0-9a-f-]{36}\/[0-9a-f-]{36}$/.test(key)) throw new Error('attachment key has an unexpected shape');
  return key;
};

export class LocalAttachmentStore implements AttachmentStore {
  readonly kind = 'local' as const;
  constructor(private readonly root: string) {}

  private file(key: string) {
    return path.join(path.resolve(this.root), ...safeKey(key).split('/'));
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const target = this.file(key);
    await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    // Written under a temporary name and renamed, so a crash never leaves half a file under the real key.
    const partial = `${target}.partial`;
    await writeFile(partial, bytes, { mode: 0o600, flag: 'wx' });
    await rename(partial, target);
  }

  get(key: string): Promise<Buffer> {
    return readFile(this.file(key));
  }

  async discard(key: string): Promise<void> {
    await rm(this.file(key), { force: true });
    await rm(`${this.file(key)}.partial`, { force: true });
  }
}

export class S3AttachmentStore implements AttachmentStore {
  readonly kind = 's3' as const;
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
  ) {}

  private key(key: string) {
    return `${this.prefix}${safeKey(key)}`;
  }

  async put(key: string, bytes: Buffer, mediaType: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.key(key), Body: bytes, ContentType: mediaType, ContentLength: bytes.length }));
  }

  async get(key: string): Promise<Buffer> {
    const answer = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(key) }));
    if (!answer.Body) throw new Error('attachment object has no body');
    return Buffer.from(await answer.Body.transformToByteArray());
  }

  async discard(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(key) }));
  }
}

/** Local disk under ATTACHMENTS_DIR by default; S3-compatible storage when ATTACHMENTS_S3_BUCKET is set. */
export function createAttachmentStore(config: Config): AttachmentStore {
  if (!config.ATTACHMENTS_S3_BUCKET) return new LocalAttachmentStore(config.ATTACHMENTS_DIR);
  const client = new S3Client({
    region: config.ATTACHMENTS_S3_REGION,
    ...(config.ATTACHMENTS_S3_ENDPOINT ? { endpoint: config.ATTACHMENTS_S3_ENDPOINT } : {}),
    forcePathStyle: config.ATTACHMENTS_S3_FORCE_PATH_STYLE,
  });
  return new S3AttachmentStore(client, config.ATTACHMENTS_S3_BUCKET, config.ATTACHMENTS_S3_PREFIX);
}

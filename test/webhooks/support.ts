import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  json: { id: string; type: string; occurredAt: string; data: Record<string, unknown> };
}

/** A webhook receiver on loopback (127.0.0.1 unless told another) that records what it gets and answers with `status`. */
export class Receiver {
  readonly received: Received[] = [];
  /** TCP connections accepted, whether or not a request followed. */
  connections = 0;
  status = 200;
  private server: http.Server | undefined;
  private waiters: Array<() => void> = [];

  /** Listens on `host` (a loopback address) and `port` (any free one by default); answers the receiver's URL. */
  async start(host = '127.0.0.1', port = 0): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        this.received.push({ headers: req.headers, body, json: JSON.parse(body) });
        res.statusCode = this.status;
        res.end();
        for (const wake of this.waiters.splice(0)) wake();
      });
    });
    this.server.on('connection', () => this.connections++);
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    return `http://${host}:${this.port}/hooks`;
  }

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  /** Waits until a request matching `predicate` has arrived (failing after `timeoutMs`). */
  async waitFor(predicate: (r: Received) => boolean, timeoutMs = 90_000): Promise<Received> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(predicate);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching webhook within ${timeoutMs} ms; got ${this.received.map((r) => r.json.type).join(', ') || 'nothing'}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 500));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  count(predicate: (r: Received) => boolean): number {
    return this.received.filter(predicate).length;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

export async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!accept(last)) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await probe();
  }
  return last;
}

/**
 * Preloaded (node --require) into the real API and worker processes (src/main.ts, src/worker.ts) by
 * the benchmarks: answers the parent's requests for this process's memory figures over IPC and, in
 * the API process, serves a no-op express JSON endpoint from the same process, for the HTTP ratio.
 */
import express from 'express';

const send = (message: unknown) => process.send?.(message);

function startNoopEndpoint(): void {
  const noop = express();
  noop.disable('x-powered-by');
  noop.use(express.json({ limit: '256kb' }));
  noop.post('/noop', (_req, res) => {
    res.json({ ok: true });
  });
  const server = noop.listen(0, '127.0.0.1', () => {
    const address = server.address();
    send({ type: 'preload-ready', noopPort: typeof address === 'object' && address ? address.port : 0 });
  });
  // The process's own shutdown (SIGTERM) ends it; this server must not hold it open.
  server.unref();
}

if (process.env.BENCH_NOOP_ENDPOINT === '1') startNoopEndpoint();
else send({ type: 'preload-ready', noopPort: 0 });

process.on('message', (message: { type?: string }) => {
  if (message?.type === 'stats') {
    send({ type: 'stats', memory: process.memoryUsage(), maxRssBytes: process.resourceUsage().maxRSS * 1024 });
  }
});
// The IPC channel must not keep the process alive after its own shutdown.
process.channel?.unref();

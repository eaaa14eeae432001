/**
 * Preloaded (node --require) into the real API and worker processes (src/main.ts, src/worker.ts) by
 * the benchmarks: answers the parent's requests over IPC (this process's memory figures; a CPU profile
 * of exactly the measured window) and, in the API process, serves a no-op express JSON endpoint from
 * the same process, for the HTTP ratio.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
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

let profiler: Session | undefined;

async function startProfile(): Promise<void> {
  profiler = new Session();
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.setSamplingInterval', { interval: 500 });
  await profiler.post('Profiler.start');
}

async function stopProfile(file: string): Promise<void> {
  if (!profiler) return;
  const { profile } = await profiler.post('Profiler.stop');
  profiler.disconnect();
  profiler = undefined;
  writeFileSync(file, JSON.stringify(profile));
}

process.on('message', (message: { type?: string; file?: string }) => {
  if (message?.type === 'stats') {
    send({ type: 'stats', memory: process.memoryUsage(), maxRssBytes: process.resourceUsage().maxRSS * 1024 });
  } else if (message?.type === 'profile-start') {
    void startProfile().then(() => send({ type: 'profile-started' }));
  } else if (message?.type === 'profile-stop' && message.file) {
    void stopProfile(message.file).then(() => send({ type: 'profile-stopped' }));
  }
});
// The IPC channel must not keep the process alive after its own shutdown.
process.channel?.unref();

/**
 * CPU profiles for the benchmarks: BENCH_CPU_PROF=1 records a .cpuprofile of each timed section
 * (in this process through the inspector, in the API child process with --cpu-prof) under
 * bench/results/profiles/, and summarises the functions with the most self time.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { basename, join, relative } from 'node:path';
import { repoRoot, resultsDir } from './paths';

export const profilesDir = join(resultsDir, 'profiles');
export const profilingEnabled = () => process.env.BENCH_CPU_PROF === '1';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
}

export interface HotSpot {
  functionName: string;
  location: string;
  selfShare: number;
}

/** Functions by share of self time (samples), biggest first. */
export function summariseProfile(file: string, top = 12): HotSpot[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byNode = new Map<number, ProfileNode>(profile.nodes.map((n) => [n.id, n]));
  const hits = new Map<number, number>();
  if (profile.samples?.length) for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  else for (const n of profile.nodes) hits.set(n.id, n.hitCount ?? 0);
  const total = [...hits.values()].reduce((a, b) => a + b, 0) || 1;
  const byFunction = new Map<string, HotSpot>();
  for (const [id, count] of hits) {
    const { functionName, url, lineNumber } = byNode.get(id)!.callFrame;
    const name = functionName || '(anonymous)';
    const where = url ? `${relativeUrl(url)}:${lineNumber + 1}` : '';
    const key = `${name} ${where}`;
    const spot = byFunction.get(key) ?? { functionName: name, location: where, selfShare: 0 };
    spot.selfShare += count / total;
    byFunction.set(key, spot);
  }
  return [...byFunction.values()].sort((a, b) => b.selfShare - a.selfShare).slice(0, top);
}

function relativeUrl(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  return path.startsWith('/') ? relative(repoRoot, path) : path;
}

export function printHotSpots(title: string, spots: HotSpot[]): void {
  console.log(`\n  CPU profile: ${title} (self time)`);
  for (const s of spots) console.log(`    ${(s.selfShare * 100).toFixed(1).padStart(5)}%  ${s.functionName}  ${s.location}`);
}

/** Runs `work` under the inspector's CPU profiler when profiling is enabled; returns its result. */
export async function withCpuProfile<T>(name: string, work: () => Promise<T>): Promise<T> {
  if (!profilingEnabled()) return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    mkdirSync(profilesDir, { recursive: true });
    const file = join(profilesDir, `${name}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    printHotSpots(`${name} -> bench/results/profiles/${basename(file)}`, summariseProfile(file));
  }
}

/**
 * The benchmark run itself (started by bench/run.ts): measures the engine, the HTTP screening path,
 * batch screening and the review queue, prints one table with the machine facts and writes the same
 * figures to bench/results/latest.json. Asserts nothing about time; exits non-zero only when a
 * correctness check fails (engines disagree, stored rows missing, double claims...).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { compiled, resultsDir } from './paths';
import { runBatchBench } from './batch';
import { runManifestBench } from './manifest';
import { runNetworkBench } from './network';
import { runEngineBench } from './engine';
import { runHttpBench } from './http';
import { runQueueBench } from './queue';
import { runWatchlistBench } from './watchlist';
import { parseOptions, type BenchOptions, type SectionName } from './options';
import { machineFacts, renderTable, type SectionResult } from './report';
import { postgresVersion } from './databases';

const runners: Record<SectionName, (options: BenchOptions) => Promise<SectionResult>> = {
  engine: runEngineBench,
  http: runHttpBench,
  batch: runBatchBench,
  queue: runQueueBench,
  manifest: runManifestBench,
  network: runNetworkBench,
  watchlist: runWatchlistBench,
};

export async function main(): Promise<void> {
  let options: BenchOptions;
  try {
    options = parseOptions(process.argv.slice(2), process.env);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  const machine = machineFacts(await postgresVersion());
  const runtime = compiled ? 'compiled with tsc, run with node (as the production image)' : 'TypeScript run by tsx (as npm start)';
  console.log(`Saring benchmarks (${options.quick ? 'QUICK sizes' : 'full sizes'}): ${options.sections.join(', ')}; code ${runtime}`);
  const startedAt = new Date();
  const results: SectionResult[] = [];
  for (const section of options.sections) {
    console.log(`\n[${section}]`);
    try {
      results.push(await runners[section](options));
    } catch (error) {
      console.error(error);
      results.push({ section, rows: [], figures: {}, failures: [`section crashed: ${(error as Error).message.split('\n')[0]}`] });
    }
  }
  const loadAtEnd = loadavg();
  console.log(`\n${renderTable(machine, results, loadAtEnd)}\n`);
  const out = resultsDir;
  mkdirSync(out, { recursive: true });
  const json = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    quick: options.quick,
    runtime: compiled ? 'node (tsc build)' : 'tsx',
    machine: { ...machine, loadAverageAtEnd: loadAtEnd.map((l) => Math.round(l * 100) / 100) },
    sections: Object.fromEntries(results.map((r) => [r.section, { rows: r.rows, figures: r.figures, failures: r.failures }])),
  };
  // latest.json for the newest run; every run also keeps its own copy under runs/, for comparison.
  const text = `${JSON.stringify(json, null, 2)}\n`;
  const runFile = `${startedAt.toISOString().replace(/[:.]/g, '-')}-${options.quick ? 'quick' : 'full'}-${options.sections.join('-')}.json`;
  mkdirSync(join(out, 'runs'), { recursive: true });
  writeFileSync(join(out, 'latest.json'), text);
  writeFileSync(join(out, 'runs', runFile), text);
  console.log(`Figures written to bench/results/latest.json (and runs/${runFile})`);
  const failed = results.filter((r) => r.failures.length > 0);
  if (failed.length > 0) {
    console.error(`Bench FAILED: correctness checks failed in ${failed.map((r) => r.section).join(', ')}`);
    process.exitCode = 1;
  }
}

if (require.main === module) void main();

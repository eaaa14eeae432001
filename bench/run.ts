/**
 * `npm run bench [-- engine http batch queue] [--quick]`: compiles the service and this harness with
 * tsc into bench/results/build (the way the production image is built: tsx, which `npm start` uses,
 * runs the same code measurably slower) and runs bench/main.ts from there with node.
 * BENCH_RUNTIME=tsx skips the build and measures the TypeScript sources under tsx instead.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { buildDir, repoRoot } from './paths';

function build(): void {
  console.log('Building with tsc (bench/tsconfig.json -> bench/results/build)...');
  rmSync(buildDir, { recursive: true, force: true });
  const tsc = spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(repoRoot, 'bench', 'tsconfig.json')], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  const main = join(buildDir, 'bench', 'main.js');
  if (!existsSync(main)) {
    console.error(`${tsc.stdout}${tsc.stderr}\nThe build produced no ${main}.`);
    process.exit(2);
  }
  // Type errors do not stop tsc from emitting; the run goes on, but says so.
  if (tsc.status !== 0) console.warn(`tsc reported type errors (the build was still emitted):\n${tsc.stdout.split('\n').slice(0, 10).join('\n')}`);
  // src/db/migrate.ts looks for the migrations two levels above its own folder: <build>/drizzle.
  symlinkSync(join(repoRoot, 'drizzle'), join(buildDir, 'drizzle'), 'dir');
}

if (process.env.BENCH_RUNTIME === 'tsx') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  void (require('./main') as typeof import('./main')).main();
} else {
  build();
  const run = spawnSync(process.execPath, [join(buildDir, 'bench', 'main.js'), ...process.argv.slice(2)], { cwd: repoRoot, stdio: 'inherit', env: process.env });
  process.exit(run.status ?? 1);
}

/** Where things are, whether the bench runs from its TypeScript sources (tsx) or from its compiled build. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'drizzle'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no repository root above ${from}`);
  }
}

export const repoRoot = findRoot(__dirname);
export const resultsDir = join(repoRoot, 'bench', 'results');
export const buildDir = join(resultsDir, 'build');
/** True when this code is the tsc output (what the production image runs), false under tsx. */
export const compiled = __filename.endsWith('.js');

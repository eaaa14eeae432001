import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The project root: the nearest folder above this file with a package.json. Source runs from
 * src/, the production image from dist/src/; both find drizzle/, rules/ and the console the same way.
 */
function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const projectRoot = findRoot(__dirname);

export const projectPath = (...segments: string[]) => path.join(projectRoot, ...segments);

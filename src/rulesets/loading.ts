/**
 * Turning rule-set files (a directory on disk, an upload, a stored version) into a compiled rule set,
 * with the loader's file:line problems when they do not make one. Versions are content hashes, so a
 * compiled version never changes and is cached by its version.
 */
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { compileRuleSet, RuleSetCompileError, type CompiledRuleSet, type RuleSet } from '../screening/engine';
import { loadRuleSet, RuleSetLoadError, readRuleSetFiles, type RuleSetProblem } from '../screening/rules/loader';
import { runRuleTests } from '../screening/rules/tests';

export interface LoadedRuleSet {
  version: string;
  ruleSet: RuleSet;
  compiled: CompiledRuleSet;
  /** Every file of the set, tests/ included, keyed by path relative to the set. */
  files: Record<string, string>;
}

export type LoadOutcome = { ok: true; loaded: LoadedRuleSet } | { ok: false; problems: RuleSetProblem[] };

/** Loads, validates and compiles a set of files; never throws on bad content. */
export function loadRuleSetFiles(files: Readonly<Record<string, string>>): LoadOutcome {
  const result = loadRuleSet(files);
  if (!result.ok) return result;
  try {
    const compiled = compileRuleSet(result.ruleSet);
    return { ok: true, loaded: { version: compiled.version, ruleSet: result.ruleSet, compiled, files: { ...files } } };
  } catch (error) {
    // The loader runs the engine's checks with file:line; this only catches a check it does not know.
    if (error instanceof RuleSetCompileError) return { ok: false, problems: error.problems.map((message) => ({ file: 'manifest.yaml', line: 1, message })) };
    throw error;
  }
}

/** Reads a rule-set directory (its tests/*.yaml too, so they are stored with the version). */
export function readRuleSetDirectory(dir: string): Record<string, string> {
  const files = readRuleSetFiles(dir);
  let tests: string[] = [];
  try {
    tests = readdirSync(join(dir, 'tests')).filter((name) => /\.ya?ml$/.test(name)).sort();
  } catch {
    // No tests directory: nothing to add.
  }
  for (const name of tests) files[`tests/${name}`] = readFileSync(join(dir, 'tests', name), 'utf8');
  return files;
}

/** Loads a rule-set directory or throws RuleSetLoadError listing every problem (start-up). */
export function loadRuleSetDirectory(dir: string): LoadedRuleSet {
  const outcome = loadRuleSetFiles(readRuleSetDirectory(dir));
  if (!outcome.ok) throw new RuleSetLoadError(outcome.problems);
  remember(outcome.loaded.compiled);
  return outcome.loaded;
}

export interface RuleTestSummary {
  passed: number;
  failed: number;
  /** Every failing case (its name and what went wrong) and every problem reading the test files. */
  failures: RuleSetProblem[];
}

/** "file:line: message" back into its parts (the test runner reports its problems formatted). */
function problemOf(text: string): RuleSetProblem {
  const match = /^(.*?):(\d+): (.*)$/s.exec(text);
  return match ? { file: match[1]!, line: Number(match[2]), message: match[3]! } : { file: 'tests/', line: 1, message: text };
}

/**
 * Runs the set's own rule-level tests (tests/*.yaml) with the same runner as `npm run rules:test`.
 * The runner reads a directory, so the files are written to a private temporary one first.
 * Returns null when the set has no tests.
 */
export function runUploadedRuleTests(files: Readonly<Record<string, string>>): RuleTestSummary | null {
  if (!Object.keys(files).some((path) => /^tests\/[^/]+\.ya?ml$/.test(path))) return null;
  const dir = mkdtempSync(join(tmpdir(), 'saring-rules-'));
  try {
    for (const [path, content] of Object.entries(files)) {
      const target = join(dir, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
    const report = runRuleTests(dir);
    const failures = [
      ...report.problems.map(problemOf),
      ...report.results.filter((r) => !r.passed).map((r) => ({ file: r.file, line: r.line, message: `${r.name}: ${r.messages.join('; ')}` })),
    ];
    return { passed: report.passed, failed: report.failed + report.problems.length, failures };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Compiled versions by version; a version's content never changes, so entries never go stale. */
const compiledCache = new Map<string, CompiledRuleSet>();
const CACHE_LIMIT = 16;

export function remember(compiled: CompiledRuleSet): CompiledRuleSet {
  compiledCache.delete(compiled.version);
  compiledCache.set(compiled.version, compiled);
  while (compiledCache.size > CACHE_LIMIT) compiledCache.delete(compiledCache.keys().next().value!);
  return compiled;
}

export function cachedCompiled(version: string): CompiledRuleSet | undefined {
  const hit = compiledCache.get(version);
  if (hit) remember(hit);
  return hit;
}

export class StoredRuleSetError extends Error {
  constructor(
    readonly version: string,
    message: string,
  ) {
    super(`stored rule set ${version}: ${message}`);
    this.name = 'StoredRuleSetError';
  }
}

/** Compiles stored files and checks they still hash to the version they were stored under. */
export function compileStored(version: string, files: Readonly<Record<string, string>>): CompiledRuleSet {
  const cached = cachedCompiled(version);
  if (cached) return cached;
  const outcome = loadRuleSetFiles(files);
  if (!outcome.ok) throw new StoredRuleSetError(version, `no longer loads: ${outcome.problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('; ')}`);
  if (outcome.loaded.version !== version) {
    // The engine's canonical form changed: evaluating would stamp decisions with a version nobody stored.
    throw new StoredRuleSetError(version, `its files now hash to ${outcome.loaded.version}`);
  }
  return remember(outcome.loaded.compiled);
}

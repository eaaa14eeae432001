/**
 * Rule authors' command line.
 *
 *   npm run rules:check -- rules/default [more dirs]   validates the rule files; prints every problem as
 *                                                      file:line: message and exits 1 if there is any
 *   npm run rules:test [-- rules/default ...]          runs the rule-level test cases in <dir>/tests/*.yaml;
 *                                                      prints every failing case as file:line and exits 1
 *
 * Without a directory both use RULES_DIR or rules/default. Paths printed are relative to where the
 * command runs, so editors and CI logs can jump to them.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { compileRuleSet } from './engine';
import { loadRuleSetFromDir } from './rules/loader';
import { runRuleTests } from './rules/tests';

const isDirectory = (dir: string) => {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
};

/** "file:line: message" relative to the set, made relative to the working directory. */
const underDir = (dir: string, problem: string) => `${dir.replace(/\/+$/, '')}/${problem}`;

function check(dir: string, out: (line: string) => void): boolean {
  const result = loadRuleSetFromDir(dir);
  if (!result.ok) {
    for (const p of result.problems) out(underDir(dir, `${p.file}:${p.line}: ${p.message}`));
    out(`${dir}: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}`);
    return false;
  }
  const compiled = compileRuleSet(result.ruleSet);
  const { review, postpone } = result.ruleSet.thresholds;
  out(`${dir}: ok: ${result.ruleSet.rules.length} rules, ${Object.keys(result.ruleSet.lists).length} lists, thresholds review ${review} / postpone ${postpone}, version ${compiled.version}`);
  return true;
}

function test(dir: string, out: (line: string) => void): boolean {
  const report = runRuleTests(dir);
  for (const problem of report.problems) out(underDir(dir, problem));
  if (report.ruleSetVersion === null) {
    out(`${dir}: the rule set does not load (run rules:check); no cases ran`);
    return false;
  }
  for (const result of report.results.filter((r) => !r.passed)) {
    out(underDir(dir, `${result.file}:${result.line}: ${result.name}${result.rule ? ` [${result.rule}]` : ''}`));
    for (const message of result.messages) out(`    ${message}`);
  }
  const total = report.results.length;
  out(`${dir}: ${report.passed} of ${total} case${total === 1 ? '' : 's'} passed${report.failed ? `, ${report.failed} failed` : ''}${report.problems.length ? `, ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'} in the test files` : ''} (version ${report.ruleSetVersion})`);
  if (total === 0 && report.problems.length === 0) out(`${dir}: no test cases found in ${join(dir, 'tests')}`);
  return report.failed === 0 && report.problems.length === 0;
}

/** Runs the CLI; returns the exit code (exported for tests). */
export function main(argv: string[], out: (line: string) => void = (line) => console.log(line)): number {
  const runTests = argv.includes('--tests');
  const dirs = argv.filter((arg) => !arg.startsWith('--'));
  if (dirs.length === 0) dirs.push(process.env.RULES_DIR ?? 'rules/default');
  let ok = true;
  for (const dir of dirs) {
    if (!isDirectory(dir)) {
      out(`${dir}: not a directory`);
      ok = false;
      continue;
    }
    ok = (runTests ? test(dir, out) : check(dir, out)) && ok;
  }
  return ok ? 0 : 1;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));

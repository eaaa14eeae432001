import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readRuleSetDirectory } from '../../src/rulesets/loading';
import { main } from '../../src/screening/rules-check-cli';
import { defaultFiles, edit } from './support';

/** Writes a rule set to a temporary directory, runs the CLI on it, and returns its exit code and output. */
function run(files: Record<string, string>, args: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'saring-cli-'));
  try {
    for (const [path, content] of Object.entries(files)) {
      const target = join(dir, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
    const lines: string[] = [];
    const code = main([...args, dir], (line) => lines.push(line.replace(dir, '<dir>')));
    return { code, lines };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('rules:check and rules:test', () => {
  it('given the default rule set, when checked, then exit 0 with its version', () => {
    const lines: string[] = [];
    expect(main(['rules/default'], (line) => lines.push(line))).toBe(0);
    expect(lines).toEqual([expect.stringMatching(/^rules\/default: ok: \d+ rules, \d+ lists, .* version rs-[0-9a-f]{16}$/)]);
  });

  it('given rule files with two mistakes, when checked, then every problem is printed as file:line and exit 1', () => {
    let files = edit(defaultFiles(), 'rules/destination.yaml', 'when: { field: derived.destinationCountry, eq: KH }', 'when: { field: derived.destinationCounty, eq: KH }');
    files = edit(files, 'rules/trip.yaml', '    weight: ', '    weight: 2.5 # was ');
    const { code, lines } = run(files);
    expect(code).toBe(1);
    expect(lines).toEqual([
      '<dir>/rules/destination.yaml:15: rule destination.cambodia: unknown field path "derived.destinationCounty" for departure applications',
      expect.stringMatching(/^<dir>\/rules\/trip\.yaml:\d+: rules\.0\.weight: weight must be an integer$/),
      '<dir>: 2 problems',
    ]);
  });

  it('given a directory that does not exist, when checked, then exit 1', () => {
    const lines: string[] = [];
    expect(main(['rules/no-such-set'], (line) => lines.push(line))).toBe(1);
    expect(lines).toEqual(['rules/no-such-set: not a directory']);
  });

  it('given the default rule set, when its rule tests run, then every case passes and exit 0', () => {
    const lines: string[] = [];
    expect(main(['--tests', 'rules/default'], (line) => lines.push(line))).toBe(0);
    expect(lines).toEqual([expect.stringMatching(/^rules\/default: (\d+) of \1 cases passed \(version rs-[0-9a-f]{16}\)$/)]);
  });

  it('given a rule change that breaks a rule test, when the tests run, then the failing case is printed as file:line with why, and exit 1', () => {
    const files = { ...readRuleSetDirectory('rules/default') };
    const changed = edit(files, 'rules/destination.yaml', 'when: { field: derived.destinationCountry, eq: KH }', 'when: { field: derived.destinationCountry, eq: LA }');
    const { code, lines } = run(changed, ['--tests']);
    expect(code).toBe(1);
    expect(lines).toContainEqual(expect.stringMatching(/^<dir>\/tests\/rules\.yaml:\d+: Cambodia fires \[destination\.cambodia\]$/));
    expect(lines).toContainEqual('    expected rule destination.cambodia to fire');
    expect(lines[lines.length - 1]).toMatch(/^<dir>: \d+ of \d+ cases passed, [1-9]\d* failed/);
  });
});

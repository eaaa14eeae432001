/**
 * Rule-level test cases kept next to a rule set (rules/<set>/tests/*.yaml), run against that rule set.
 *
 *   bases:                      # named applications, shared by every test file of the set
 *     holiday: { kind: departure, application: { ... } }
 *   cases:
 *     - name: a textbook lure is postponed
 *       rule: destination.cambodia   # optional: the rule the case is about
 *       base: holiday                # or kind + application
 *       patch: { trip: { destinationCountry: KH } }   # deep merge; null removes a key; arrays replace
 *       context: { ... }             # optional evaluation context
 *       expect: { outcome: REVIEW, hits: [...], includes: [...], excludes: [...] }
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { applicationSchemas, checkConsistency, manifestPassengerSchema } from '../application-schema';
import { compileRuleSet, type CompiledRuleSet } from '../engine/compile';
import type { Evaluation } from '../engine/types';
import { buildSubject, screeningContextSchema } from '../subject';
import { formatProblem, loadRuleSetFromDir, yamlValue, type RuleSetProblem } from './loader';

const kindSchema = z.enum(['departure', 'passport', 'manifest']);
const baseSchema = z.strictObject({ kind: kindSchema, application: z.record(z.string(), z.unknown()) });
const caseSchema = z
  .strictObject({
    name: z.string().min(1),
    rule: z.string().optional(),
    base: z.string().optional(),
    kind: kindSchema.optional(),
    application: z.record(z.string(), z.unknown()).optional(),
    patch: z.record(z.string(), z.unknown()).optional(),
    context: z.unknown().optional(),
    expect: z.strictObject({
      outcome: z.enum(['CLEAR', 'REVIEW', 'POSTPONE_RECOMMENDED']).optional(),
      hits: z.array(z.string()).optional(),
      includes: z.array(z.string()).optional(),
      excludes: z.array(z.string()).optional(),
    }),
  })
  .refine((c) => (c.base === undefined) !== (c.application === undefined), 'a case needs exactly one of base or application');
const fileSchema = z.strictObject({
  bases: z.record(z.string(), baseSchema).optional(),
  cases: z.array(caseSchema).default([]),
});

export type RuleTestCase = z.output<typeof caseSchema> & { file: string; line: number };

export interface RuleTestResult {
  file: string;
  line: number;
  name: string;
  rule?: string;
  passed: boolean;
  messages: string[];
  evaluation?: Evaluation;
}

export interface RuleTestReport {
  ruleSetVersion: string | null;
  /** Problems loading the rule set or the test files (file:line: message). */
  problems: string[];
  results: RuleTestResult[];
  passed: number;
  failed: number;
}

/** Deep merge for patches: objects merge, arrays and scalars replace, null deletes. */
export function applyPatch(base: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = base !== null && typeof base === 'object' && !Array.isArray(base) ? { ...(base as Record<string, unknown>) } : {};
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    if (value === null) delete out[key];
    else out[key] = applyPatch(out[key], value);
  }
  return out;
}

interface TestFiles {
  bases: Map<string, z.output<typeof baseSchema>>;
  cases: RuleTestCase[];
  problems: string[];
}

/** Reads tests/*.yaml of a rule set directory. */
export function readRuleTests(dir: string): TestFiles {
  const testDir = join(dir, 'tests');
  const out: TestFiles = { bases: new Map(), cases: [], problems: [] };
  let names: string[] = [];
  try {
    names = readdirSync(testDir).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch {
    return out;
  }
  for (const name of names) {
    const file = `tests/${name}`;
    const lines = new LineCounter();
    const doc = parseDocument(readFileSync(join(testDir, name), 'utf8'), { lineCounter: lines });
    if (doc.errors.length > 0) {
      for (const error of doc.errors) out.problems.push(formatProblem({ file, line: lines.linePos(error.pos[0]).line, message: error.message.split('\n')[0]! }));
      continue;
    }
    const problems: RuleSetProblem[] = [];
    const data = yamlValue(file, doc, lines, problems);
    if (!data) {
      out.problems.push(...problems.map(formatProblem));
      continue;
    }
    const parsed = fileSchema.safeParse(data.value);
    const lineAt = (path: (string | number)[]) => {
      const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
      return node?.range ? lines.linePos(node.range[0]).line : 1;
    };
    if (!parsed.success) {
      for (const issue of parsed.error.issues) out.problems.push(formatProblem({ file, line: lineAt(issue.path as (string | number)[]), message: `${issue.path.join('.')}: ${issue.message}` }));
      continue;
    }
    for (const [baseName, base] of Object.entries(parsed.data.bases ?? {})) {
      if (out.bases.has(baseName)) out.problems.push(formatProblem({ file, line: lineAt(['bases', baseName]), message: `duplicate base "${baseName}"` }));
      out.bases.set(baseName, base);
    }
    parsed.data.cases.forEach((c, index) => out.cases.push({ ...c, file, line: lineAt(['cases', index]) }));
  }
  return out;
}

/** Runs one case against a compiled rule set. */
export function runRuleTestCase(compiled: CompiledRuleSet, bases: TestFiles['bases'], c: RuleTestCase): RuleTestResult {
  const result: RuleTestResult = { file: c.file, line: c.line, name: c.name, passed: false, messages: [] };
  if (c.rule !== undefined) result.rule = c.rule;
  const base = c.base !== undefined ? bases.get(c.base) : undefined;
  if (c.base !== undefined && !base) {
    result.messages.push(`unknown base "${c.base}"`);
    return result;
  }
  const kind = c.kind ?? base?.kind;
  if (!kind) {
    result.messages.push('a case with an inline application needs kind');
    return result;
  }
  const raw = applyPatch(c.application ?? base!.application, c.patch ?? {});
  const parsed = (kind === 'manifest' ? manifestPassengerSchema : applicationSchemas[kind]).safeParse(raw);
  if (!parsed.success) {
    result.messages.push(...parsed.error.issues.map((i) => `application ${i.path.join('.')}: ${i.message}`));
    return result;
  }
  if (kind !== 'manifest') result.messages.push(...checkConsistency(kind, parsed.data as Parameters<typeof checkConsistency>[1]).map((m) => `application: ${m}`));
  const context = screeningContextSchema.safeParse(c.context ?? {});
  if (!context.success) result.messages.push(...context.error.issues.map((i) => `context ${i.path.join('.')}: ${i.message}`));
  if (result.messages.length > 0 || !context.success) return result;

  const evaluation = compiled.evaluate(buildSubject(kind, parsed.data), context.data);
  result.evaluation = evaluation;
  const fired = new Set(evaluation.hits.map((h) => h.ruleId));
  const { outcome, hits, includes, excludes } = c.expect;
  const known = new Set(compiled.ruleIds);
  for (const id of [...(hits ?? []), ...(includes ?? []), ...(excludes ?? [])]) {
    if (!known.has(id)) result.messages.push(`expectation names unknown rule "${id}"`);
  }
  if (outcome !== undefined && evaluation.outcome !== outcome) result.messages.push(`expected outcome ${outcome}, got ${evaluation.outcome} (score ${evaluation.score})`);
  if (hits !== undefined) {
    const expected = [...new Set(hits)].sort();
    const actual = [...fired].sort();
    if (expected.join(',') !== actual.join(',')) result.messages.push(`expected hits [${expected.join(', ')}], got [${actual.join(', ')}]`);
  }
  for (const id of includes ?? []) if (!fired.has(id)) result.messages.push(`expected rule ${id} to fire`);
  for (const id of excludes ?? []) if (fired.has(id)) result.messages.push(`expected rule ${id} not to fire`);
  result.passed = result.messages.length === 0;
  return result;
}

/** Loads the rule set in `dir` and runs every case in dir/tests/*.yaml. Never throws on bad content. */
export function runRuleTests(dir: string): RuleTestReport {
  const loaded = loadRuleSetFromDir(dir);
  if (!loaded.ok) return { ruleSetVersion: null, problems: loaded.problems.map(formatProblem), results: [], passed: 0, failed: 0 };
  const compiled = compileRuleSet(loaded.ruleSet);
  const tests = readRuleTests(dir);
  const results = tests.cases.map((c) => runRuleTestCase(compiled, tests.bases, c));
  const passed = results.filter((r) => r.passed).length;
  return { ruleSetVersion: compiled.version, problems: tests.problems, results, passed, failed: results.length - passed };
}

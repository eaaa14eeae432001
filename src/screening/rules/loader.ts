/**
 * Loads a rule set from YAML files given as an in-memory map { relativePath: content } (so the same
 * validator serves a directory on disk and an admin upload), reporting every problem as file:line.
 *
 * Layout: manifest.yaml (name, description, thresholds, lists), rules/*.yaml (a top-level `rules:` array),
 * optional list files (one item per line, # comments) referenced by `file:` from a manifest list.
 * Files under tests/ are rule-level test cases and are ignored here (see tests.ts).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { isMap, isPair, isScalar, LineCounter, parseDocument, visit, type Document } from 'yaml';
import { z } from 'zod';
import { screeningKinds } from '../application-schema';
import type { Path } from '../engine/operators/kit';
import { defaultOperators, type OperatorRegistry } from '../engine/operators/registry';
import type { Rule, RuleList, RuleSet } from '../engine/rule-set';

export interface RuleSetProblem {
  file: string;
  line: number;
  message: string;
}

export type LoadResult = { ok: true; ruleSet: RuleSet } | { ok: false; problems: RuleSetProblem[] };

export const formatProblem = (p: RuleSetProblem) => `${p.file}:${p.line}: ${p.message}`;

export class RuleSetLoadError extends Error {
  constructor(readonly problems: RuleSetProblem[]) {
    super(`invalid rule set:\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'RuleSetLoadError';
  }
}

const translated = (what: string) =>
  z.strictObject({
    id: z.string({ error: `missing Bahasa Indonesia (id) ${what}` }).trim().min(1, `empty Bahasa Indonesia (id) ${what}`),
    en: z.string({ error: `missing English (en) ${what}` }).trim().min(1, `empty English (en) ${what}`),
  }, { error: `${what} must have id and en translations` });

const ruleSchema = z.strictObject({
  id: z
    .string({ error: 'missing rule id' })
    .regex(/^[a-z0-9]+(?:[.-][a-z0-9]+)*$/, 'rule id must be lower-case kebab/dotted, e.g. destination.cambodia'),
  title: translated('title'),
  reason: translated('reason'),
  appliesTo: z.array(z.enum(screeningKinds as ['departure', 'passport', 'manifest'])).min(1, 'appliesTo needs departure, passport and/or manifest'),
  weight: z.number({ error: 'weight must be an integer' }).int('weight must be an integer').min(-1000).max(1000),
  mustReview: z.boolean().optional(),
  source: z.string({ error: 'missing source (the public indicator this rule comes from)' }).trim().min(1),
  // Present here; what it says is validated by the operator registry's schema (below), which needs
  // the rule's appliesTo and the manifest's lists.
  when: z.unknown().refine((v) => v !== undefined, 'missing condition (when)'),
});

export interface LoadOptions {
  /** The grammar conditions are written in (default: the built-in operators). */
  operators?: OperatorRegistry;
}

const listSchema = z
  .strictObject({
    type: z.enum(['countries', 'keywords', 'values']),
    description: z.string().optional(),
    items: z.array(z.string().trim().min(1)).optional(),
    file: z.string().min(1).optional(),
  })
  .refine((l) => (l.items === undefined) !== (l.file === undefined), 'a list needs exactly one of items or file');

const manifestSchema = z.strictObject({
  name: z.string().trim().min(1),
  description: z.string().optional(),
  thresholds: z
    .strictObject({ review: z.number().int().positive(), postpone: z.number().int().positive() })
    .refine((t) => t.postpone >= t.review, 'postpone threshold must be >= review threshold'),
  lists: z.record(z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'list names are kebab-case'), listSchema).default({}),
});

const ruleFileSchema = z.strictObject({ rules: z.array(z.unknown()) });

interface ParsedFile {
  file: string;
  doc: Document;
  lines: LineCounter;
  /** The document as plain data. */
  value: unknown;
}

/**
 * Aliases a file may expand to: a few dozen anchors reused are plenty for rules, while a "billion laughs"
 * (aliases of aliases) would expand to millions of nodes. Over it, the file is refused at its first alias.
 */
export const MAX_YAML_ALIAS_COUNT = 100;

/** The document's data, or null (and a problem at the first alias) when its aliases expand too far. */
export function yamlValue(file: string, doc: Document, lines: LineCounter, problems: RuleSetProblem[]): { value: unknown } | null {
  try {
    return { value: doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT }) };
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    let line = 1;
    visit(doc, {
      Alias(_key, node) {
        if (node.range) line = lines.linePos(node.range[0]).line;
        return visit.BREAK;
      },
    });
    problems.push({ file, line, message: `YAML: aliases expand to more than ${MAX_YAML_ALIAS_COUNT} nodes (a resource exhaustion attack?); write the values out` });
    return null;
  }
}

/** The line of the node at `path` (or of its nearest existing ancestor). */
function lineOf(parsed: ParsedFile, path: Path): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = parsed.doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) {
      // Prefer the key's line for a map entry.
      const parent = depth > 0 ? parsed.doc.getIn(path.slice(0, depth - 1), true) : undefined;
      if (isMap(parent)) {
        const pair = parent.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === path[depth - 1]);
        const key = pair && isScalar(pair.key) ? pair.key : undefined;
        if (key?.range) return parsed.lines.linePos(key.range[0]).line;
      }
      return parsed.lines.linePos(node.range[0]).line;
    }
  }
  return 1;
}

function parseYaml(file: string, content: string, problems: RuleSetProblem[]): ParsedFile | null {
  const lines = new LineCounter();
  const doc = parseDocument(content, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const error of doc.errors) problems.push({ file, line: lines.linePos(error.pos[0]).line, message: `YAML: ${error.message.split('\n')[0]}` });
    return null;
  }
  const data = yamlValue(file, doc, lines, problems);
  return data ? { file, doc, lines, value: data.value } : null;
}

function zodProblems(parsed: ParsedFile, base: Path, error: z.ZodError, problems: RuleSetProblem[]) {
  for (const issue of error.issues) {
    const path = [...base, ...(issue.path as Path)];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push({ file: parsed.file, line: lineOf(parsed, [...path, key]), message: `unknown key "${key}"${path.length ? ` in ${path.join('.')}` : ''}` });
    } else {
      problems.push({ file: parsed.file, line: lineOf(parsed, path), message: `${path.join('.') || '(top level)'}: ${issue.message}` });
    }
  }
}

function listFileItems(content: string): string[] {
  return content
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line.length > 0);
}

const normalisePath = (path: string) => path.split(sep).join('/').replace(/^\.\//, '');

/** Loads and validates a rule set from an in-memory map of files; never throws on bad content. */
export function loadRuleSet(files: Readonly<Record<string, string>>, options: LoadOptions = {}): LoadResult {
  const operators = options.operators ?? defaultOperators;
  const problems: RuleSetProblem[] = [];
  const byPath = new Map(Object.entries(files).map(([path, content]) => [normalisePath(path), content]));

  const manifestContent = byPath.get('manifest.yaml') ?? byPath.get('manifest.yml');
  const manifestFile = byPath.has('manifest.yaml') ? 'manifest.yaml' : 'manifest.yml';
  let manifest: z.output<typeof manifestSchema> | null = null;
  let manifestParsed: ParsedFile | null = null;
  if (manifestContent === undefined) problems.push({ file: 'manifest.yaml', line: 1, message: 'missing manifest.yaml' });
  else {
    manifestParsed = parseYaml(manifestFile, manifestContent, problems);
    if (manifestParsed) {
      const result = manifestSchema.safeParse(manifestParsed.value);
      if (result.success) manifest = result.data;
      else zodProblems(manifestParsed, [], result.error, problems);
    }
  }

  const lists: Record<string, RuleList> = {};
  if (manifest && manifestParsed) {
    for (const [name, list] of Object.entries(manifest.lists)) {
      let items = list.items;
      if (list.file !== undefined) {
        const content = byPath.get(normalisePath(list.file));
        if (content === undefined) {
          problems.push({ file: manifestParsed.file, line: lineOf(manifestParsed, ['lists', name, 'file']), message: `list "${name}": file ${list.file} not found` });
          continue;
        }
        items = listFileItems(content);
      }
      const entry: RuleList = { type: list.type, items: items ?? [] };
      if (list.description !== undefined) entry.description = list.description;
      if (entry.items.length === 0) problems.push({ file: manifestParsed.file, line: lineOf(manifestParsed, ['lists', name]), message: `list "${name}" is empty` });
      lists[name] = entry;
    }
  }

  const rules: Rule[] = [];
  const firstSeen = new Map<string, string>();
  const ruleFiles = [...byPath.keys()].filter((p) => /^rules\/.+\.ya?ml$/.test(p)).sort();
  if (ruleFiles.length === 0) problems.push({ file: 'rules/', line: 1, message: 'no rule files (rules/*.yaml)' });
  for (const file of ruleFiles) {
    const parsed = parseYaml(file, byPath.get(file)!, problems);
    if (!parsed) continue;
    const top = ruleFileSchema.safeParse(parsed.value);
    if (!top.success) {
      zodProblems(parsed, [], top.error, problems);
      continue;
    }
    top.data.rules.forEach((raw, index) => {
      const base: Path = ['rules', index];
      const result = ruleSchema.safeParse(raw);
      const id = (raw as { id?: unknown } | null)?.id;
      if (typeof id === 'string') {
        const previous = firstSeen.get(id);
        if (previous !== undefined) problems.push({ file, line: lineOf(parsed, [...base, 'id']), message: `duplicate rule id "${id}" (first defined at ${previous})` });
        else firstSeen.set(id, `${file}:${lineOf(parsed, [...base, 'id'])}`);
      }
      if (!result.success) zodProblems(parsed, base, result.error, problems);
      const appliesTo = result.success ? result.data.appliesTo : screeningKinds.filter((k) => Array.isArray((raw as { appliesTo?: unknown })?.appliesTo) && ((raw as { appliesTo: unknown[] }).appliesTo.includes(k)));
      const rawWhen = (raw as { when?: unknown } | null)?.when;
      const when = rawWhen !== undefined && appliesTo.length > 0 ? operators.whenSchema({ kinds: appliesTo, lists }).safeParse(rawWhen) : null;
      if (when && !when.success) {
        for (const issue of when.error.issues) {
          const path = ['when', ...(issue.path as Path)];
          problems.push({ file, line: lineOf(parsed, [...base, ...path]), message: `rule ${typeof id === 'string' ? id : `#${index + 1}`}: ${issue.message}` });
        }
      }
      if (result.success && when?.success) {
        const { mustReview, ...rest } = result.data;
        const rule: Rule = { ...rest, when: when.data };
        if (mustReview !== undefined) rule.mustReview = mustReview;
        rules.push(rule);
      }
    });
  }

  if (problems.length > 0 || !manifest) {
    problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
    return { ok: false, problems };
  }
  const ruleSet: RuleSet = { name: manifest.name, thresholds: manifest.thresholds, lists, rules };
  if (manifest.description !== undefined) ruleSet.description = manifest.description;
  return { ok: true, ruleSet };
}

/** Reads every file of a rule set directory (except tests/) into the map loadRuleSet() takes. */
export function readRuleSetFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const visit = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      const full = join(current, name);
      const rel = normalisePath(relative(dir, full));
      if (statSync(full).isDirectory()) {
        if (rel !== 'tests') visit(full);
      } else if (/\.(ya?ml|txt)$/.test(name)) {
        files[rel] = readFileSync(full, 'utf8');
      }
    }
  };
  visit(dir);
  return files;
}

export function loadRuleSetFromDir(dir: string): LoadResult {
  return loadRuleSet(readRuleSetFiles(dir));
}

/** Loads a rule set directory or throws RuleSetLoadError listing every problem. */
export function loadRuleSetFromDirOrThrow(dir: string): RuleSet {
  const result = loadRuleSetFromDir(dir);
  if (!result.ok) throw new RuleSetLoadError(result.problems);
  return result.ruleSet;
}

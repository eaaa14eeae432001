/**
 * What condition operators are built from: the evaluation state and node shape, and the checks most
 * operators share (field paths, list references, operand types). Pure: no I/O, clock or randomness.
 */
import type { ScreeningKind } from '../../application-schema';
import { fieldCatalogue, type FieldInfo } from '../../field-paths';
import type { ListType, RuleList } from '../rule-set';

export type Path = (string | number)[];
export type Report = (path: Path, message: string) => void;

export interface CheckEnv {
  kinds: readonly ScreeningKind[];
  lists: Readonly<Record<string, RuleList>>;
  report: Report;
}

export interface Analysis {
  /** True when the condition could be satisfied by protected attributes alone. */
  protectedAlone: boolean;
}

/** One evaluation's inputs, as the compiled nodes read them. */
export interface State {
  data: unknown;
  derived: unknown;
  context: unknown;
  /** Normalised text per field path, computed on first use in this evaluation. */
  norm: Map<string, string> | undefined;
}

export type Evidence = Record<string, unknown>;

/** A compiled condition. */
export interface Node {
  test(s: State): boolean;
  /** Records the fields (and values) that made the node evaluate to `outcome`. */
  explain(s: State, outcome: boolean, evidence: Evidence): void;
}

export type Getter = (s: State) => unknown;

const step = (value: unknown, key: string): unknown =>
  value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
// One function per root, so reading the root is a plain property load rather than a keyed one.
const roots: Readonly<Record<'data' | 'derived' | 'context', Getter>> = {
  data: (s) => s.data,
  derived: (s) => s.derived,
  context: (s) => s.context,
};

/** A reader for a field path (`trip.destinationCountry`, `derived.age`, `context.…`). */
export function compileGetter(path: string): Getter {
  const segments = path.split('.');
  const rootName = segments[0] === 'derived' ? 'derived' : segments[0] === 'context' ? 'context' : 'data';
  const root = roots[rootName];
  const rest = rootName === 'data' ? segments : segments.slice(1);
  const [a, b, c] = rest;
  if (rest.length === 1) return (s) => step(root(s), a!);
  if (rest.length === 2) return (s) => step(step(root(s), a!), b!);
  if (rest.length === 3) return (s) => step(step(step(root(s), a!), b!), c!);
  return (s) => rest.reduce<unknown>((value, key) => step(value, key), root(s));
}

export const present = (value: unknown) => value !== undefined && value !== null;
export const evidenceValue = (value: unknown) => (value === undefined ? null : value);

/** A node that tests fields and explains itself with their values. */
export function leaf(paths: readonly string[], getters: readonly Getter[], test: (s: State) => boolean): Node {
  return {
    test,
    explain(s, _outcome, evidence) {
      for (let i = 0; i < paths.length; i++) evidence[paths[i]!] = evidenceValue(getters[i]!(s));
    },
  };
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const countryPattern = /^[A-Z]{2}$/;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

export function unknownKeys(raw: Record<string, unknown>, allowed: readonly string[], path: Path, env: CheckEnv, what: string) {
  for (const key of Object.keys(raw)) {
    if (!allowed.includes(key)) env.report([...path, key], `unknown key "${key}" in ${what} (allowed: ${allowed.join(', ')})`);
  }
}

/** The field a path names, for every kind the rule applies to; reports and returns null otherwise. */
export function resolveField(value: unknown, path: Path, env: CheckEnv): FieldInfo | null {
  if (typeof value !== 'string' || value.length === 0) {
    env.report(path, 'field must be a field path such as trip.destinationCountry');
    return null;
  }
  let info: FieldInfo | null = null;
  for (const kind of env.kinds) {
    const found = fieldCatalogue[kind].get(value);
    if (!found) {
      env.report(path, `unknown field path "${value}" for ${kind} applications`);
      return null;
    }
    info ??= found;
  }
  return info;
}

/** The manifest list a name refers to, of one of the allowed types; reports and returns null otherwise. */
export function resolveList(name: unknown, path: Path, env: CheckEnv, allowed: readonly ListType[]): RuleList | null {
  if (typeof name !== 'string') {
    env.report(path, 'list must be the name of a list declared in the manifest');
    return null;
  }
  const list = env.lists[name];
  if (!list) {
    env.report(path, `unknown list "${name}"`);
    return null;
  }
  if (!allowed.includes(list.type)) {
    env.report(path, `list "${name}" is a ${list.type} list; expected ${allowed.join(' or ')}`);
    return null;
  }
  return list;
}

/** Checks one scalar operand against a field's type; returns an error message or null. */
export function operandProblem(field: FieldInfo, operand: unknown): string | null {
  switch (field.type) {
    case 'boolean':
      return typeof operand === 'boolean' ? null : `${field.path} is a boolean; operand ${JSON.stringify(operand)} is not`;
    case 'number':
      return typeof operand === 'number' && Number.isFinite(operand) ? null : `${field.path} is a number; operand ${JSON.stringify(operand)} is not`;
    case 'enum':
      return typeof operand === 'string' && field.values?.includes(operand)
        ? null
        : `${JSON.stringify(operand)} is not a value of ${field.path} (${field.values?.join(', ')})`;
    case 'string':
      if (typeof operand !== 'string') return `${field.path} is text; operand ${JSON.stringify(operand)} is not`;
      if (field.tag === 'country' && !countryPattern.test(operand)) return `${field.path} holds ISO alpha-2 country codes; "${operand}" is not one`;
      if (field.tag === 'date' && !datePattern.test(operand)) return `${field.path} holds dates (YYYY-MM-DD); "${operand}" is not one`;
      return null;
    case 'string[]':
      return `${field.path} is a list; use anyIn`;
  }
}

export function checkListMembers(field: FieldInfo, list: RuleList, listName: string, path: Path, env: CheckEnv) {
  for (const item of list.items) {
    const problem = operandProblem(field.type === 'string[]' ? { ...field, type: 'string' } : field, item);
    if (problem) {
      env.report(path, `list "${listName}": ${problem}`);
      return;
    }
  }
}

export function listTypesFor(field: FieldInfo): ListType[] {
  return field.tag === 'country' ? ['countries'] : ['values', 'countries'];
}

export type { FieldInfo };

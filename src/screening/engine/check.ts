/**
 * Semantic checks of rules and conditions: field paths, operand types, list references, regex safety,
 * protected attributes. Every problem is reported (with its path inside the rule) rather than the first.
 */
import safeRegex from 'safe-regex2';
import type { ApplicationKind } from '../application-schema';
import { fieldCatalogue, type FieldInfo, isProtectedField } from '../field-paths';
import { linkKeys, watchlistKinds } from '../subject';
import { linkKeyKinds, MIN_SIMILARITY_FLOOR, watchlistMatchMode } from './requirements';
import type { ListType, RuleList } from './rule-set';
import { normaliseText } from './text';

export type Path = (string | number)[];
export type Report = (path: Path, message: string) => void;

export interface CheckEnv {
  kinds: readonly ApplicationKind[];
  lists: Readonly<Record<string, RuleList>>;
  report: Report;
}

interface Analysis {
  /** True when the condition could be satisfied by protected attributes alone. */
  protectedAlone: boolean;
}

const comparisonOps = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte'] as const;
const fieldOps = [...comparisonOps, 'in', 'notIn', 'exists', 'missing'] as const;
const conditionKinds = 'all, any, not, field (with eq/ne/gt/gte/lt/lte/in/notIn/exists/missing), containsAny, matches, daysBetween, anyIn, watchlist, linked';
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const countryPattern = /^[A-Z]{2}$/;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

function unknownKeys(raw: Record<string, unknown>, allowed: readonly string[], path: Path, env: CheckEnv, what: string) {
  for (const key of Object.keys(raw)) {
    if (!allowed.includes(key)) env.report([...path, key], `unknown key "${key}" in ${what} (allowed: ${allowed.join(', ')})`);
  }
}

function resolveField(value: unknown, path: Path, env: CheckEnv): FieldInfo | null {
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

function resolveList(name: unknown, path: Path, env: CheckEnv, allowed: readonly ListType[]): RuleList | null {
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
function operandProblem(field: FieldInfo, operand: unknown): string | null {
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

function checkListMembers(field: FieldInfo, list: RuleList, listName: string, path: Path, env: CheckEnv) {
  for (const item of list.items) {
    const problem = operandProblem(field.type === 'string[]' ? { ...field, type: 'string' } : field, item);
    if (problem) {
      env.report(path, `list "${listName}": ${problem}`);
      return;
    }
  }
}

function listTypesFor(field: FieldInfo): ListType[] {
  return field.tag === 'country' ? ['countries'] : ['values', 'countries'];
}

function checkFieldCondition(raw: Record<string, unknown>, path: Path, env: CheckEnv): Analysis {
  unknownKeys(raw, ['field', ...fieldOps], path, env, 'a field condition');
  const ops = fieldOps.filter((op) => op in raw);
  const field = resolveField(raw.field, [...path, 'field'], env);
  const analysis = { protectedAlone: typeof raw.field === 'string' && isProtectedField(raw.field) };
  if (ops.length !== 1) {
    env.report(path, `a field condition needs exactly one operator (${fieldOps.join(', ')}); found ${ops.length === 0 ? 'none' : ops.join(', ')}`);
    return analysis;
  }
  const op = ops[0]!;
  const operand = raw[op];
  const operandPath = [...path, op];
  if (!field) return analysis;
  switch (op) {
    case 'eq':
    case 'ne': {
      const problem = operandProblem(field, operand);
      if (problem) env.report(operandPath, problem);
      break;
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      if (field.type !== 'number') env.report(operandPath, `${op} needs a number field; ${field.path} is ${field.tag ?? field.type}${field.tag === 'date' || field.tag === 'datetime' ? ' (use daysBetween)' : ''}`);
      else if (typeof operand !== 'number' || !Number.isFinite(operand)) env.report(operandPath, `${op} needs a number operand; got ${JSON.stringify(operand)}`);
      break;
    case 'in':
    case 'notIn':
      if (field.type === 'string[]') {
        env.report(operandPath, `${field.path} is a list; use anyIn`);
      } else if (isRecord(operand)) {
        unknownKeys(operand, ['list'], operandPath, env, `${op}`);
        const list = resolveList(operand.list, [...operandPath, 'list'], env, listTypesFor(field));
        if (list) checkListMembers(field, list, operand.list as string, [...operandPath, 'list'], env);
      } else if (Array.isArray(operand) && operand.length > 0) {
        operand.forEach((item, index) => {
          const problem = operandProblem(field, item);
          if (problem) env.report([...operandPath, index], problem);
        });
      } else {
        env.report(operandPath, `${op} needs a non-empty array of values or { list: name }`);
      }
      break;
    case 'exists':
    case 'missing':
      if (operand !== true) env.report(operandPath, `${op} takes the value true`);
      break;
  }
  return analysis;
}

function checkSpecial(key: 'containsAny' | 'matches' | 'daysBetween' | 'anyIn', body: unknown, path: Path, env: CheckEnv): Analysis {
  if (!isRecord(body)) {
    env.report(path, `${key} needs an object`);
    return { protectedAlone: false };
  }
  const fields: string[] = [];
  const textField = (value: unknown, at: Path) => {
    const info = resolveField(value, at, env);
    if (info && info.type !== 'string' && info.type !== 'enum') env.report(at, `${key} needs a text field; ${info.path} is ${info.type}`);
    if (typeof value === 'string') fields.push(value);
  };
  switch (key) {
    case 'containsAny': {
      unknownKeys(body, ['field', 'list', 'keywords'], path, env, 'containsAny');
      if (Array.isArray(body.field)) {
        if (body.field.length === 0) env.report([...path, 'field'], 'containsAny needs at least one field');
        body.field.forEach((f, i) => textField(f, [...path, 'field', i]));
      } else textField(body.field, [...path, 'field']);
      if (('list' in body) === ('keywords' in body)) env.report(path, 'containsAny needs exactly one of list or keywords');
      else if ('list' in body) resolveList(body.list, [...path, 'list'], env, ['keywords']);
      else if (!Array.isArray(body.keywords) || body.keywords.length === 0) env.report([...path, 'keywords'], 'keywords must be a non-empty array of text');
      else
        body.keywords.forEach((k, i) => {
          if (typeof k !== 'string' || normaliseText(k) === '') env.report([...path, 'keywords', i], `keyword ${JSON.stringify(k)} is empty or not text`);
        });
      break;
    }
    case 'matches': {
      unknownKeys(body, ['field', 'pattern', 'flags'], path, env, 'matches');
      textField(body.field, [...path, 'field']);
      const flags = body.flags ?? '';
      if (typeof flags !== 'string' || !/^[imsu]*$/.test(flags)) env.report([...path, 'flags'], 'flags may only contain i, m, s, u');
      if (typeof body.pattern !== 'string' || body.pattern.length === 0) env.report([...path, 'pattern'], 'pattern must be a non-empty regular expression');
      else {
        let ok = true;
        try {
          new RegExp(body.pattern, typeof flags === 'string' && /^[imsu]*$/.test(flags) ? flags : '');
        } catch (error) {
          ok = false;
          env.report([...path, 'pattern'], `invalid regular expression: ${(error as Error).message}`);
        }
        if (ok && !safeRegex(body.pattern)) env.report([...path, 'pattern'], `unsafe regular expression (catastrophic backtracking): ${body.pattern}`);
      }
      break;
    }
    case 'daysBetween': {
      const ops = ['gt', 'gte', 'lt', 'lte'].filter((op) => op in body);
      unknownKeys(body, ['from', 'to', 'gt', 'gte', 'lt', 'lte'], path, env, 'daysBetween');
      for (const end of ['from', 'to'] as const) {
        const info = resolveField(body[end], [...path, end], env);
        if (info && info.tag !== 'date' && info.tag !== 'datetime') env.report([...path, end], `daysBetween needs date fields; ${info.path} is not a date`);
        if (typeof body[end] === 'string') fields.push(body[end]);
      }
      if (ops.length !== 1) env.report(path, 'daysBetween needs exactly one of gt, gte, lt, lte');
      else if (!Number.isInteger(body[ops[0]!])) env.report([...path, ops[0]!], 'daysBetween bound must be a whole number of days');
      break;
    }
    case 'anyIn': {
      unknownKeys(body, ['field', 'list', 'values'], path, env, 'anyIn');
      const info = resolveField(body.field, [...path, 'field'], env);
      if (typeof body.field === 'string') fields.push(body.field);
      if (info && info.type !== 'string[]') env.report([...path, 'field'], `anyIn needs a list field; ${info.path} is ${info.type} (use in)`);
      if (('list' in body) === ('values' in body)) env.report(path, 'anyIn needs exactly one of list or values');
      else if ('list' in body) {
        const list = info ? resolveList(body.list, [...path, 'list'], env, listTypesFor(info)) : null;
        if (list && info) checkListMembers(info, list, body.list as string, [...path, 'list'], env);
      } else if (!Array.isArray(body.values) || body.values.length === 0) env.report([...path, 'values'], 'values must be a non-empty array');
      else if (info)
        body.values.forEach((v, i) => {
          const problem = operandProblem({ ...info, type: 'string' }, v);
          if (problem) env.report([...path, 'values', i], problem);
        });
      break;
    }
  }
  return { protectedAlone: fields.length > 0 && fields.every(isProtectedField) };
}

/** `watchlist: { list, field, minSimilarity? }`: an application field compared with one watchlist. */
function checkWatchlist(body: unknown, path: Path, env: CheckEnv): Analysis {
  if (!isRecord(body)) {
    env.report(path, 'watchlist needs an object { list, field, minSimilarity? }');
    return { protectedAlone: false };
  }
  unknownKeys(body, ['list', 'field', 'minSimilarity'], path, env, 'watchlist');
  const list = body.list;
  const listOk = typeof list === 'string' && (watchlistKinds as readonly string[]).includes(list);
  if (!listOk) env.report([...path, 'list'], `list must be one of the watchlists: ${watchlistKinds.join(', ')}`);
  const field = body.field;
  const info = resolveField(field, [...path, 'field'], env);
  if (info && (info.path.startsWith('derived.') || info.path.startsWith('context.'))) {
    env.report([...path, 'field'], `watchlist compares an application field; ${info.path} is not one`);
  } else if (info && listOk) {
    const mode = watchlistMatchMode(list as (typeof watchlistKinds)[number], info.path);
    if (mode === 'phone' && info.tag !== 'phone') env.report([...path, 'field'], `the phone watchlist needs a phone field; ${info.path} is not one`);
    if (mode !== 'phone' && (info.type !== 'string' || info.tag !== undefined)) {
      env.report([...path, 'field'], `the ${String(list)} watchlist compares names; ${info.path} is ${info.tag ?? info.type}, not free text`);
    }
    if ('minSimilarity' in body && mode !== 'name') {
      env.report([...path, 'minSimilarity'], `${mode === 'phone' ? 'phone numbers' : 'licences'} match exactly; minSimilarity does not apply`);
    }
  }
  if ('minSimilarity' in body) {
    const min = body.minSimilarity;
    if (typeof min !== 'number' || !(min >= MIN_SIMILARITY_FLOOR && min <= 1)) {
      env.report([...path, 'minSimilarity'], `minSimilarity must be a number from ${MIN_SIMILARITY_FLOOR} to 1; got ${JSON.stringify(min)}`);
    }
  }
  return { protectedAlone: typeof field === 'string' && isProtectedField(field) };
}

/** `linked: { by, withinDays, atLeast }`: other applications sharing a key. */
function checkLinked(body: unknown, path: Path, env: CheckEnv): Analysis {
  if (!isRecord(body)) {
    env.report(path, 'linked needs an object { by, withinDays, atLeast }');
    return { protectedAlone: false };
  }
  unknownKeys(body, ['by', 'withinDays', 'atLeast'], path, env, 'linked');
  const by = body.by;
  if (typeof by !== 'string' || !(linkKeys as readonly string[]).includes(by)) {
    env.report([...path, 'by'], `by must be one of ${linkKeys.join(', ')}`);
  } else {
    const carriers = linkKeyKinds[by as (typeof linkKeys)[number]];
    for (const kind of env.kinds) {
      if (!carriers.includes(kind)) env.report([...path, 'by'], `${kind} applications have no ${by}; limit the rule's appliesTo to ${carriers.join(', ')}`);
    }
  }
  const days = body.withinDays;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 0 || days > 366) {
    env.report([...path, 'withinDays'], `withinDays must be a whole number of days from 0 to 366; got ${JSON.stringify(days)}`);
  }
  const atLeast = body.atLeast;
  if (typeof atLeast !== 'number' || !Number.isInteger(atLeast) || atLeast < 1 || atLeast > 1000) {
    env.report([...path, 'atLeast'], `atLeast must be a whole number of other travellers from 1 to 1000; got ${JSON.stringify(atLeast)}`);
  }
  return { protectedAlone: false };
}

/** Checks a condition tree; reports every problem. */
export function checkCondition(raw: unknown, path: Path, env: CheckEnv): Analysis {
  if (!isRecord(raw)) {
    env.report(path, `a condition must be an object (${conditionKinds})`);
    return { protectedAlone: false };
  }
  if ('field' in raw) return checkFieldCondition(raw, path, env);
  const keys = Object.keys(raw);
  if (keys.length !== 1) {
    env.report(path, `a condition has exactly one of ${conditionKinds}; found ${keys.join(', ') || 'nothing'}`);
    return { protectedAlone: false };
  }
  const key = keys[0]!;
  const body = raw[key];
  const at = [...path, key];
  switch (key) {
    case 'all':
    case 'any': {
      if (!Array.isArray(body) || body.length === 0) {
        env.report(at, `${key} needs a non-empty list of conditions`);
        return { protectedAlone: false };
      }
      const children = body.map((child, index) => checkCondition(child, [...at, index], env));
      return { protectedAlone: key === 'all' ? children.every((c) => c.protectedAlone) : children.some((c) => c.protectedAlone) };
    }
    case 'not':
      return checkCondition(body, at, env);
    case 'containsAny':
    case 'matches':
    case 'daysBetween':
    case 'anyIn':
      return checkSpecial(key, body, at, env);
    case 'watchlist':
      return checkWatchlist(body, at, env);
    case 'linked':
      return checkLinked(body, at, env);
    default:
      env.report(at, `unknown condition "${key}" (expected ${conditionKinds})`);
      return { protectedAlone: false };
  }
}

/** Checks a rule's condition for the kinds it applies to, including the protected-attribute policy. */
export function checkRuleCondition(when: unknown, path: Path, env: CheckEnv): void {
  const analysis = checkCondition(when, path, env);
  if (analysis.protectedAlone) {
    env.report(
      path,
      'the rule can fire on protected attributes alone (sex, age/date of birth, religion, province/regency/place of origin); combine them in an "all" with a non-protected signal',
    );
  }
}

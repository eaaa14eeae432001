/** The in-memory rule set: what the loader produces (from YAML) and compileRuleSet() consumes. */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../canonical-json';
import type { ApplicationKind, ScreeningKind } from '../application-schema';
import type { HistoryRecordKind, LinkKey, PersonMatch, WatchlistKind } from '../subject';
import type { Translated } from './types';

export type ListType = 'countries' | 'keywords' | 'values';

export interface RuleList {
  type: ListType;
  description?: string;
  items: string[];
}

export type Scalar = string | number | boolean;
export type ListRef = { list: string };

/** A comparison on one field; exactly one operator is present. */
export interface FieldCondition {
  field: string;
  eq?: Scalar;
  ne?: Scalar;
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  in?: Scalar[] | ListRef;
  notIn?: Scalar[] | ListRef;
  exists?: true;
  missing?: true;
}

/**
 * The built-in grammar as types (for code that builds or reads conditions). What a condition means is
 * defined by its operator module in ./operators, and the registry there decides what a rule set may use.
 */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | FieldCondition
  | { containsAny: { field: string | string[]; list?: string; keywords?: string[] } }
  | { matches: { field: string; pattern: string; flags?: string } }
  | { daysBetween: { from: string; to: string; gt?: number; gte?: number; lt?: number; lte?: number } }
  | { anyIn: { field: string; list?: string; values?: string[] } }
  /** An application field matches an active entry of a watchlist (resolved into the context before evaluation). */
  | { watchlist: { list: WatchlistKind; field: string; minSimilarity?: number } }
  /** At least `atLeast` other travellers' applications share the key within `withinDays` (resolved into the context). */
  | { linked: { by: LinkKey; withinDays: number; atLeast: number } }
  /** The same person's earlier records (resolved into the context as of the receipt time). */
  | { history: HistoryCondition }
  /** The person is on the subject-of-interest list with a bar in force at the receipt time (resolved into the context). */
  | { subjectOfInterest: { match?: PersonMatch[] } };

/**
 * At least `atLeast` (default 1) earlier records of the same person: of one kind (`of`), at most
 * `withinDays` before this application's receipt, found by one key (`match`); optionally only at
 * another office, only of one application kind, or only under another NIK.
 */
export interface HistoryCondition {
  of: HistoryRecordKind;
  withinDays: number;
  match: PersonMatch;
  atOtherOffice?: boolean;
  kind?: ApplicationKind;
  differentNik?: boolean;
  /** Only applications whose NIK differs from this one's in at most so many digits. */
  nikDiffersInAtMost?: number;
  atLeast?: number;
}

export interface Rule {
  id: string;
  title: Translated;
  reason: Translated;
  appliesTo: ScreeningKind[];
  weight: number;
  mustReview?: boolean;
  /** The public indicator the rule is based on. */
  source: string;
  when: Condition;
}

export interface RuleSet {
  name: string;
  description?: string;
  thresholds: { review: number; postpone: number };
  lists: Record<string, RuleList>;
  rules: Rule[];
}


/**
 * Content hash of the rule set: sorted keys, rules sorted by id, list items sorted, defaults made explicit;
 * independent of file layout, order, whitespace and comments.
 */
export function ruleSetVersion(ruleSet: RuleSet): string {
  const canonical = {
    name: ruleSet.name,
    description: ruleSet.description,
    thresholds: ruleSet.thresholds,
    lists: Object.fromEntries(
      Object.entries(ruleSet.lists).map(([name, list]) => [name, { type: list.type, items: [...new Set(list.items)].sort() }]),
    ),
    rules: [...ruleSet.rules]
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((rule) => ({ ...rule, appliesTo: [...rule.appliesTo].sort(), mustReview: rule.mustReview ?? false })),
  };
  return `rs-${createHash('sha256').update(canonicalJson(canonical)).digest('hex').slice(0, 16)}`;
}

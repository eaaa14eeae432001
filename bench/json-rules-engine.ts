/**
 * The default rule set translated into json-rules-engine form, for the engine comparison.
 *
 * Every rule of rules/default is translated, condition by condition, from the loaded rule set (so the
 * translation cannot drift from the YAML): field comparisons become the library's built-in operators
 * on the `data`, `derived` and `context` facts addressed by JSONPath (the library's default path
 * resolver); what the library has no operator for is added the way its documentation suggests,
 * as custom operators and dynamic facts:
 *   containsAny  -> dynamic fact `normalisedText` (cached per run by the almanac) + operator `containsKeyword`
 *                   (the same keyword matcher our engine uses, so both match exactly the same words)
 *   matches      -> operator `matchesPattern`; daysBetween -> dynamic fact `daysBetween` + numeric operator
 *   anyIn        -> operator `intersects`; exists/missing -> operators `present`/`absent`
 *   watchlist    -> operator `watchlistMatch` on the resolved matches; linked -> operator `linkedTravellers`
 * One engine per application kind, like our engine's per-kind rule lists. An event's type is the rule id.
 */
import { Engine, type Almanac, type NestedCondition, type RuleProperties, type TopLevelCondition } from 'json-rules-engine';
import type { ScreeningKind } from '../src/screening/application-schema';
import { compileKeywordMatcher, normaliseText, type KeywordMatcher } from '../src/screening/engine/text';
import type { Condition, FieldCondition, RuleSet } from '../src/screening/engine/rule-set';
import { effectiveMinSimilarity } from '../src/screening/engine/requirements';
import { personMatches, type HistoryRecord, type LinkedApplication, type ScreeningContext, type ScreeningSubject, type SubjectOfInterestHit, type WatchlistMatch } from '../src/screening/subject';
import type { HistoryCondition } from '../src/screening/engine/rule-set';

type JreCondition = Exclude<NestedCondition, TopLevelCondition> | TopLevelCondition;

interface FactRef {
  fact: 'data' | 'derived' | 'context';
  path: string;
}

function factRef(field: string): FactRef {
  const [head, ...rest] = field.split('.');
  if (head === 'derived' || head === 'context') return { fact: head, path: `$.${rest.join('.')}` };
  return { fact: 'data', path: `$.${field}` };
}

class Translator {
  /** Keyword matchers by name, used by the containsKeyword operator. */
  readonly matchers = new Map<string, KeywordMatcher>();
  private inlineKeywordSets = 0;

  constructor(private readonly ruleSet: RuleSet) {}

  private listItems(name: string): string[] {
    const list = this.ruleSet.lists[name];
    if (!list) throw new Error(`unknown list ${name}`);
    return list.items;
  }

  private field(cond: FieldCondition): JreCondition {
    const ref = factRef(cond.field);
    const values = (operand: unknown[] | { list: string }) => (Array.isArray(operand) ? operand : this.listItems(operand.list));
    if (cond.eq !== undefined) return { ...ref, operator: 'equal', value: cond.eq };
    if (cond.ne !== undefined) return { ...ref, operator: 'notEqual', value: cond.ne };
    if (cond.gt !== undefined) return { ...ref, operator: 'greaterThan', value: cond.gt };
    if (cond.gte !== undefined) return { ...ref, operator: 'greaterThanInclusive', value: cond.gte };
    if (cond.lt !== undefined) return { ...ref, operator: 'lessThan', value: cond.lt };
    if (cond.lte !== undefined) return { ...ref, operator: 'lessThanInclusive', value: cond.lte };
    if (cond.in !== undefined) return { ...ref, operator: 'in', value: values(cond.in) };
    if (cond.notIn !== undefined) return { ...ref, operator: 'notIn', value: values(cond.notIn) };
    if (cond.exists) return { ...ref, operator: 'present', value: true };
    if (cond.missing) return { ...ref, operator: 'absent', value: true };
    throw new Error(`field condition on ${cond.field} has no operator`);
  }

  condition(cond: Condition): JreCondition {
    if ('all' in cond) return { all: cond.all.map((c) => this.condition(c)) };
    if ('any' in cond) return { any: cond.any.map((c) => this.condition(c)) };
    if ('not' in cond) return { not: this.condition(cond.not) };
    if ('field' in cond) return this.field(cond);
    if ('containsAny' in cond) {
      const { field, list, keywords } = cond.containsAny;
      let matcherName = list;
      if (!matcherName) matcherName = `inline-${++this.inlineKeywordSets}`;
      if (!this.matchers.has(matcherName)) this.matchers.set(matcherName, compileKeywordMatcher(keywords ?? this.listItems(matcherName)));
      const fields = Array.isArray(field) ? field : [field];
      return { any: fields.map((f) => ({ fact: 'normalisedText', params: factRef(f), operator: 'containsKeyword', value: matcherName })) };
    }
    if ('matches' in cond) {
      const { field, pattern, flags } = cond.matches;
      return { ...factRef(field), operator: 'matchesPattern', value: { pattern, flags: flags ?? '' } };
    }
    if ('daysBetween' in cond) {
      const { from, to, gt, gte, lt, lte } = cond.daysBetween;
      const params = { from: factRef(from), to: factRef(to) };
      if (gt !== undefined) return { fact: 'daysBetween', params, operator: 'greaterThan', value: gt };
      if (gte !== undefined) return { fact: 'daysBetween', params, operator: 'greaterThanInclusive', value: gte };
      if (lt !== undefined) return { fact: 'daysBetween', params, operator: 'lessThan', value: lt };
      return { fact: 'daysBetween', params, operator: 'lessThanInclusive', value: lte };
    }
    if ('anyIn' in cond) {
      const { field, list, values } = cond.anyIn;
      return { ...factRef(field), operator: 'intersects', value: values ?? this.listItems(list!) };
    }
    if ('watchlist' in cond) {
      const { list, field, minSimilarity } = cond.watchlist;
      return { fact: 'context', path: '$.watchlist', operator: 'watchlistMatch', value: { list, field, min: effectiveMinSimilarity(list, field, minSimilarity) } };
    }
    if ('linked' in cond) {
      const { by, withinDays, atLeast } = cond.linked;
      return { fact: 'context', path: `$.links.${by}`, operator: 'linkedTravellers', value: { withinDays, atLeast } };
    }
    if ('history' in cond) return { fact: 'context', path: '$.history', operator: 'historyRecords', value: cond.history };
    if ('subjectOfInterest' in cond) return { fact: 'context', path: '$.subjectsOfInterest', operator: 'subjectOfInterest', value: cond.subjectOfInterest.match ?? [...personMatches] };
    throw new Error(`no json-rules-engine translation for condition ${JSON.stringify(cond)}`);
  }
}

const epochDay = (value: string) => Date.UTC(Number(value.slice(0, 4)), Number(value.slice(5, 7)) - 1, Number(value.slice(8, 10))) / 86_400_000;

export interface JreScreener {
  /** The translated rules per kind, as json-rules-engine rule objects (printable as JSON). */
  rules: Record<ScreeningKind, RuleProperties[]>;
  ruleCount: number;
  /** Rule ids that fire, sorted, and the score they add up to. */
  evaluate(subject: ScreeningSubject, context: ScreeningContext | undefined): Promise<{ ruleIds: string[]; score: number }>;
}

export interface JreOptions {
  /** Replace the default JSONPath resolver with plain property access (a tuning the library documents). */
  propertyPaths?: boolean;
}

const propertyPath = (value: object, path: string): unknown => {
  let current: unknown = value;
  for (const key of path.slice(2).split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
};

export function translateRuleSet(ruleSet: RuleSet, options: JreOptions = {}): JreScreener {
  const translator = new Translator(ruleSet);
  const rules: Record<ScreeningKind, RuleProperties[]> = { departure: [], passport: [], manifest: [] };
  for (const rule of ruleSet.rules) {
    const translated = translator.condition(rule.when);
    const conditions: TopLevelCondition = 'all' in translated || 'any' in translated || 'not' in translated ? (translated as TopLevelCondition) : { all: [translated] };
    const properties: RuleProperties = { name: rule.id, conditions, event: { type: rule.id, params: { weight: rule.weight } } };
    for (const kind of new Set(rule.appliesTo)) rules[kind].push(properties);
  }

  const regexes = new Map<string, RegExp>();
  const build = (kind: ScreeningKind) => {
    const engine = new Engine(rules[kind], options.propertyPaths ? { pathResolver: propertyPath } : {});
    engine.addOperator<unknown, string>('containsKeyword', (text, name) => typeof text === 'string' && translator.matchers.get(name)!.find(text).length > 0);
    engine.addOperator<unknown, { pattern: string; flags: string }>('matchesPattern', (value, { pattern, flags }) => {
      const key = `${flags}/${pattern}`;
      let regex = regexes.get(key);
      if (!regex) regexes.set(key, (regex = new RegExp(pattern, flags)));
      return typeof value === 'string' && regex.test(value);
    });
    engine.addOperator<unknown, unknown[]>('intersects', (value, set) => Array.isArray(value) && value.some((v) => set.includes(v)));
    engine.addOperator<unknown, { list: string; field: string; min: number }>('watchlistMatch', (matches, { list, field, min }) =>
      Array.isArray(matches) && matches.some((m: WatchlistMatch) => m.list === list && m.field === field && m.similarity >= min),
    );
    engine.addOperator<unknown, { withinDays: number; atLeast: number }>('linkedTravellers', (linked, { withinDays, atLeast }) => {
      const near = Array.isArray(linked) ? (linked as LinkedApplication[]).filter((l) => l.daysApart <= withinDays) : [];
      return new Set(near.map((l) => l.traveller)).size >= atLeast;
    });
    engine.addOperator<unknown, HistoryCondition>('historyRecords', (records, h) => {
      const found = Array.isArray(records)
        ? (records as HistoryRecord[]).filter(
            (r) =>
              r.of === h.of &&
              r.daysAgo <= h.withinDays &&
              r.matchedBy.includes(h.match) &&
              (!h.atOtherOffice || r.atOtherOffice) &&
              (h.kind === undefined || r.kind === h.kind) &&
              (!h.differentNik || !r.sameNik) &&
              (h.nikDiffersInAtMost === undefined || r.nikDigitsDifferent <= h.nikDiffersInAtMost),
          )
        : [];
      return found.length >= (h.atLeast ?? 1);
    });
    engine.addOperator<unknown, string[]>('subjectOfInterest', (hits, match) => Array.isArray(hits) && (hits as SubjectOfInterestHit[]).some((hit) => match.includes(hit.matchedBy)));
    engine.addOperator<unknown, boolean>('present', (value) => value !== undefined && value !== null);
    engine.addOperator<unknown, boolean>('absent', (value) => value === undefined || value === null);
    engine.addFact('normalisedText', async (params: Record<string, unknown>, almanac: Almanac) => {
      const { fact, path } = params as unknown as FactRef;
      const value = await almanac.factValue<unknown>(fact, {}, path);
      return typeof value === 'string' ? normaliseText(value) : undefined;
    });
    engine.addFact('daysBetween', async (params: Record<string, unknown>, almanac: Almanac) => {
      const { from, to } = params as unknown as { from: FactRef; to: FactRef };
      const [a, b] = await Promise.all([almanac.factValue<unknown>(from.fact, {}, from.path), almanac.factValue<unknown>(to.fact, {}, to.path)]);
      return typeof a === 'string' && typeof b === 'string' ? epochDay(b) - epochDay(a) : undefined;
    });
    return engine;
  };
  const engines: Record<ScreeningKind, Engine> = { departure: build('departure'), passport: build('passport'), manifest: build('manifest') };

  return {
    rules,
    ruleCount: ruleSet.rules.length,
    async evaluate(subject, context) {
      const { events } = await engines[subject.kind].run({ data: subject.data, derived: subject.derived, context: context ?? {} });
      let score = 0;
      const ruleIds: string[] = [];
      for (const event of events) {
        ruleIds.push(event.type);
        score += (event.params?.weight as number) ?? 0;
      }
      return { ruleIds: ruleIds.sort(), score };
    },
  };
}

/**
 * The name-matching scorecard: labelled pairs of Indonesian names (bin/binti, Muhammad's spellings,
 * old spelling, mononyms, swapped order, typos, honorifics, hard non-matches) scored through the real
 * matching path: the SQL function saring_name_key on both sides, then pg_trgm similarity, compared
 * with the threshold the default rule set uses for person names. Precision and recall at that
 * threshold are recorded in data/name-scorecard.json and the README; a test fails if either drops.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { compileRuleSet } from '../screening/engine/compile';
import { loadRuleSetFromDirOrThrow } from '../screening/rules/loader';

export interface NamePair {
  a: string;
  b: string;
  match: boolean;
  category: string;
}

export const NAME_PAIRS_FILE = path.join(__dirname, '..', '..', 'data', 'name-pairs.csv');
export const RECORDED_SCORECARD_FILE = path.join(__dirname, '..', '..', 'data', 'name-scorecard.json');

export function readNamePairs(file = NAME_PAIRS_FILE): NamePair[] {
  const rows = parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true, trim: true }) as Array<Record<string, string>>;
  return rows.map((row, i) => {
    if (row.label !== 'match' && row.label !== 'non-match') throw new Error(`${file}:${i + 2}: label must be match or non-match`);
    return { a: row.a!, b: row.b!, match: row.label === 'match', category: row.category ?? '' };
  });
}

/** The lowest similarity the rule set's `person` watchlist conditions on departures accept (the configured threshold). */
export function configuredPersonThreshold(rulesDir = path.join(__dirname, '..', '..', 'rules', 'default')): number {
  const compiled = compileRuleSet(loadRuleSetFromDirOrThrow(rulesDir));
  const person = compiled.requirements.departure.watchlist.filter((r) => r.list === 'person' && r.mode === 'name');
  if (person.length === 0) throw new Error(`${rulesDir} has no person-name watchlist condition on departures`);
  return Math.min(...person.map((r) => r.minSimilarity));
}

interface Tally {
  pairs: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
}

export interface Scorecard {
  threshold: number;
  pairs: number;
  matches: number;
  nonMatches: number;
  /** Of the pairs scored at or above the threshold, the share that are the same person. */
  precision: number;
  /** Of the pairs that are the same person, the share scored at or above the threshold. */
  recall: number;
  byCategory: Record<string, Tally & { correct: number }>;
  /** The pairs the threshold gets wrong, for whoever tunes the key function. */
  misses: Array<NamePair & { similarity: number }>;
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

/** Scores every pair in one statement with saring_name_key and pg_trgm similarity. */
export async function nameScorecard(db: Database, pairs: readonly NamePair[], threshold: number): Promise<Scorecard> {
  const result = await db.execute(sql`
    select coalesce(similarity(saring_name_key(p.a), saring_name_key(p.b)), 0)::float8 as similarity
      from unnest(${sql.param(pairs.map((p) => p.a))}::text[], ${sql.param(pairs.map((p) => p.b))}::text[]) with ordinality as p(a, b, n)
     order by p.n`);
  const scores = (result.rows as Array<{ similarity: number }>).map((r) => Number(r.similarity));
  const total: Tally = { pairs: 0, truePositives: 0, falsePositives: 0, falseNegatives: 0, trueNegatives: 0 };
  const byCategory: Scorecard['byCategory'] = {};
  const misses: Scorecard['misses'] = [];
  pairs.forEach((pair, i) => {
    const similarity = scores[i]!;
    const predicted = similarity >= threshold;
    const key = predicted ? (pair.match ? 'truePositives' : 'falsePositives') : pair.match ? 'falseNegatives' : 'trueNegatives';
    const category = (byCategory[pair.category] ??= { pairs: 0, truePositives: 0, falsePositives: 0, falseNegatives: 0, trueNegatives: 0, correct: 0 });
    for (const tally of [total, category]) {
      tally.pairs += 1;
      tally[key] += 1;
    }
    if (predicted === pair.match) category.correct += 1;
    else misses.push({ ...pair, similarity: round(similarity) });
  });
  const flagged = total.truePositives + total.falsePositives;
  const same = total.truePositives + total.falseNegatives;
  return {
    threshold,
    pairs: pairs.length,
    matches: same,
    nonMatches: pairs.length - same,
    precision: flagged === 0 ? 1 : round(total.truePositives / flagged),
    recall: same === 0 ? 1 : round(total.truePositives / same),
    byCategory,
    misses,
  };
}

/**
 * Section 1: applications per second of our engine (the real Screener over rules/default) against
 * json-rules-engine running the same rules translated into its form, on one thread, over the same
 * generated sample; and proof that both give the same hits.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRuleSetFromDirOrThrow } from '../src/screening/rules/loader';
import { compileRuleSet } from '../src/screening/engine/compile';
import { createScreener, type ScreeningDecision } from '../src/screening/screener';
import { buildSubject } from '../src/screening/subject';
import { generateSample, type Sample } from './generator';
import { translateRuleSet, type JreScreener } from './json-rules-engine';
import { loadZen, translateRuleSetToZen, type ZenScreener } from './zen-engine';
import { rulesDir } from './api-process';
import { resultsDir } from './paths';
import { withCpuProfile } from './profile';
import { fmt, type SectionResult } from './report';
import type { BenchOptions } from './options';

const SEED = 20_261_123;

async function timeOurs(screen: (s: Sample) => ScreeningDecision, sample: Sample[], passes: number) {
  const rates: number[] = [];
  let results: ScreeningDecision[] = [];
  for (let pass = 0; pass < passes; pass++) {
    const out = new Array<ScreeningDecision>(sample.length);
    const started = performance.now();
    for (let i = 0; i < sample.length; i++) out[i] = screen(sample[i]!);
    const seconds = (performance.now() - started) / 1000;
    rates.push(sample.length / seconds);
    results = out;
  }
  rates.sort((a, b) => a - b);
  return { rate: rates[Math.floor(rates.length / 2)]!, rates, results };
}

async function timeJre(jre: JreScreener, sample: Sample[]) {
  const out = new Array<{ ruleIds: string[]; score: number }>(sample.length);
  const started = performance.now();
  for (let i = 0; i < sample.length; i++) {
    const s = sample[i]!;
    const subject = buildSubject(s.application.kind, s.application.data, { receivedAt: s.receivedAt.toISOString() });
    out[i] = await jre.evaluate(subject, s.context);
  }
  const seconds = (performance.now() - started) / 1000;
  return { rate: sample.length / seconds, seconds, results: out };
}

/** CPU seconds of this whole process (all threads: ZEN evaluates on its own native threads). */
const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

async function timeZen(zen: ZenScreener, sample: Sample[]) {
  const out = new Array<{ ruleIds: string[]; score: number }>(sample.length);
  const cpuBefore = cpuSeconds();
  const started = performance.now();
  for (let i = 0; i < sample.length; i++) {
    const s = sample[i]!;
    const subject = buildSubject(s.application.kind, s.application.data, { receivedAt: s.receivedAt.toISOString() });
    out[i] = await zen.evaluate(subject, s.context);
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuSeconds() - cpuBefore;
  return { rate: sample.length / seconds, perCpuSecond: sample.length / cpu, seconds, results: out };
}

function compare(ours: ScreeningDecision[], theirs: { ruleIds: string[]; score: number }[], sample: Sample[]) {
  let agree = 0;
  const mismatches: string[] = [];
  for (let i = 0; i < ours.length; i++) {
    const a = ours[i]!.hits.map((h) => h.ruleId).sort();
    const b = theirs[i]!.ruleIds;
    if (a.length === b.length && a.every((id, k) => id === b[k]) && ours[i]!.score === theirs[i]!.score) agree++;
    else if (mismatches.length < 5) {
      mismatches.push(`#${i} (${sample[i]!.application.kind}): ours [${a.join(', ')}] vs json-rules-engine [${b.join(', ')}]`);
    }
  }
  return { agree, mismatches };
}

export async function runEngineBench(options: BenchOptions): Promise<SectionResult> {
  const n = options.quick ? 10_000 : 100_000;
  const failures: string[] = [];
  const ruleSet = loadRuleSetFromDirOrThrow(rulesDir());
  const compiled = compileRuleSet(ruleSet);
  const screener = createScreener(compiled);
  const jre = translateRuleSet(ruleSet);
  const jreTuned = translateRuleSet(ruleSet, { propertyPaths: true });
  const zenModule = loadZen();
  const zen = zenModule ? translateRuleSetToZen(ruleSet, zenModule) : undefined;
  if (!zen) console.log('  GoRules Zen is not installed: `npm install --no-save @gorules/zen-engine` to compare with it');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'json-rules-engine-rules.json'), JSON.stringify(jre.rules, null, 2));
  if (zen) writeFileSync(join(resultsDir, 'zen-decisions.json'), JSON.stringify(zen.decisions, null, 2));

  console.log(`  generating ${fmt.int(n)} applications (seed ${SEED}) through the intake schemas...`);
  const sample = generateSample(n, SEED, compiled.requirements);
  const kinds = { departure: sample.filter((s) => s.application.kind === 'departure').length, passport: 0 };
  kinds.passport = n - kinds.departure;

  const screen = (s: Sample) => screener.screen(s.application, s.receivedAt, s.context);
  // Warm both up (JIT, lazily built regexes, the almanac's code paths) before timing.
  const warm = sample.slice(0, Math.min(2_000, n));
  for (const s of warm) screen(s);
  await timeJre(jre, warm.slice(0, 500));
  await timeJre(jreTuned, warm.slice(0, 500));
  if (zen) await timeZen(zen, warm.slice(0, 500));

  console.log('  timing our engine (3 passes)...');
  const oursCpuBefore = cpuSeconds();
  const ours = await withCpuProfile('engine-ours', () => timeOurs(screen, sample, 3));
  const oursPerCpuSecond = (3 * n) / (cpuSeconds() - oursCpuBefore);
  console.log(`    ${fmt.rate(ours.rate)}; timing json-rules-engine (default JSONPath resolver)...`);
  const theirs = await withCpuProfile('engine-json-rules-engine', () => timeJre(jre, sample));
  console.log(`    ${fmt.rate(theirs.rate)}; timing json-rules-engine (property-path resolver)...`);
  const tuned = await timeJre(jreTuned, sample);
  console.log(`    ${fmt.rate(tuned.rate)}`);
  let zenRun: Awaited<ReturnType<typeof timeZen>> | undefined;
  if (zen) {
    console.log('  timing GoRules Zen (one decision per kind, one ZEN expression per rule)...');
    zenRun = await timeZen(zen, sample);
    zen.dispose();
    console.log(`    ${fmt.rate(zenRun.rate)} (${fmt.rate(zenRun.perCpuSecond)} per CPU second)`);
  }
  const agreementZen = zenRun ? compare(ours.results, zenRun.results, sample) : { agree: n, mismatches: [] };
  if (agreementZen.agree !== n) failures.push(`engines (GoRules Zen) disagree on ${n - agreementZen.agree} of ${n}: ${agreementZen.mismatches.join('; ')}`);
  const ratioZen = zenRun ? oursPerCpuSecond / zenRun.perCpuSecond : undefined;

  const agreement = compare(ours.results, theirs.results, sample);
  const agreementTuned = compare(ours.results, tuned.results, sample);
  if (agreement.agree !== n) failures.push(`engines disagree on ${n - agreement.agree} of ${n} applications: ${agreement.mismatches.join('; ')}`);
  if (agreementTuned.agree !== n) failures.push(`engines (property paths) disagree on ${n - agreementTuned.agree} of ${n}: ${agreementTuned.mismatches.join('; ')}`);

  const outcomes = { CLEAR: 0, REVIEW: 0, POSTPONE_RECOMMENDED: 0 };
  const hitsPerRule = new Map<string, number>();
  for (const r of ours.results) {
    outcomes[r.outcome]++;
    for (const h of r.hits) hitsPerRule.set(h.ruleId, (hitsPerRule.get(h.ruleId) ?? 0) + 1);
  }
  const ratio = ours.rate / theirs.rate;
  const ratioTuned = ours.rate / tuned.rate;
  const rulesFired = hitsPerRule.size;
  const note = `${fmt.int(n)} apps (${fmt.int(kinds.departure)} departure, ${fmt.int(kinds.passport)} passport), ${jre.ruleCount} rules, 1 thread`;

  return {
    section: 'engine',
    rows: [
      { measure: 'our engine', value: fmt.rate(ours.rate), note: `${note}; median of 3 passes` },
      { measure: 'json-rules-engine (default)', value: fmt.rate(theirs.rate), note: 'JSONPath fact paths (library default)' },
      { measure: 'json-rules-engine (tuned)', value: fmt.rate(tuned.rate), note: 'plain property pathResolver' },
      { measure: 'ratio vs default', value: fmt.ratio(ratio), goal: '>= 50x', met: ratio >= 50 },
      { measure: 'ratio vs tuned', value: fmt.ratio(ratioTuned), goal: '>= 50x', met: ratioTuned >= 50 },
      ...(zenRun && ratioZen !== undefined
        ? [
            { measure: 'GoRules Zen', value: fmt.rate(zenRun.rate), note: `${fmt.rate(zenRun.perCpuSecond)} per CPU second (native, evaluates on its own threads); ours ${fmt.rate(oursPerCpuSecond)} per CPU second` },
            { measure: 'ratio vs Zen per core', value: fmt.ratio(ratioZen), goal: '>= 2x', met: ratioZen >= 2, note: 'applications per CPU second, ours / Zen' },
          ]
        : [{ measure: 'GoRules Zen', value: 'not installed', note: 'npm install --no-save @gorules/zen-engine' }]),
      {
        measure: 'same hits',
        value: `${fmt.int(Math.min(agreement.agree, agreementTuned.agree, agreementZen.agree))} / ${fmt.int(n)}`,
        goal: 'all',
        met: agreement.agree === n && agreementTuned.agree === n && agreementZen.agree === n,
        note: `${rulesFired} of ${jre.ruleCount} rules fired; ${outcomes.CLEAR} clear / ${outcomes.REVIEW} review / ${outcomes.POSTPONE_RECOMMENDED} postpone`,
      },
    ],
    figures: {
      applications: n,
      kinds,
      rules: jre.ruleCount,
      rulesFired,
      oursPerSecond: ours.rate,
      oursPassesPerSecond: ours.rates,
      jsonRulesEnginePerSecond: theirs.rate,
      jsonRulesEngineTunedPerSecond: tuned.rate,
      ratio,
      ratioTuned,
      zenPerSecond: zenRun?.rate,
      zenPerCpuSecond: zenRun?.perCpuSecond,
      oursPerCpuSecond,
      ratioZen,
      agreementZen: agreementZen.agree,
      agreement: agreement.agree,
      agreementTuned: agreementTuned.agree,
      outcomes,
    },
    failures,
  };
}

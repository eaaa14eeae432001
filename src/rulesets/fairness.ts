/**
 * Fairness report for one version over a set of evaluations: flag and postpone-recommendation rates by
 * sex, age band and province of origin, each with its ratio to the overall rate, so reviewers can see
 * when a rule set bears down on one group. It describes; it does not block anything.
 */
import type { Application } from '../screening/application-schema';
import type { Outcome } from '../screening/engine';
import { buildSubject } from '../screening/subject';

/** Groups smaller than this are reported but marked: their rates swing on a handful of people. */
export const MIN_GROUP_SIZE = 30;

export const ageBands = ['under 18', '18-24', '25-34', '35-44', '45-54', '55+'] as const;

export function ageBandOf(age: number): (typeof ageBands)[number] {
  if (age < 18) return 'under 18';
  if (age < 25) return '18-24';
  if (age < 35) return '25-34';
  if (age < 45) return '35-44';
  if (age < 55) return '45-54';
  return '55+';
}

interface Tally {
  count: number;
  flagged: number;
  postponeRecommended: number;
}

export interface GroupRates {
  group: string;
  count: number;
  flagged: number;
  /** Share of the group's applications with REVIEW or POSTPONE_RECOMMENDED. */
  flagRate: number;
  /** flagRate / the overall flagRate; null when nobody overall was flagged. */
  flagRatio: number | null;
  postponeRecommended: number;
  postponeRate: number;
  postponeRatio: number | null;
  /** Fewer than MIN_GROUP_SIZE applications: read the rates with care. */
  smallSample: boolean;
}

export interface FairnessReport {
  overall: { count: number; flagged: number; flagRate: number; postponeRecommended: number; postponeRate: number };
  bySex: GroupRates[];
  byAgeBand: GroupRates[];
  byProvince: GroupRates[];
  minimumGroupSize: number;
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;
const rate = (part: number, whole: number) => (whole === 0 ? 0 : round(part / whole));
const ratio = (groupRate: number, overallRate: number) => (overallRate === 0 ? null : round(groupRate / overallRate));

/** The protected attributes of an application: sex, age (as the rules see it) and province of origin. */
export function attributesOf(application: Application, receivedAt: Date): { sex: string; ageBand: string; province: string } {
  const person = application.kind === 'departure' ? application.data.traveller : application.data.applicant;
  const subject = buildSubject(application.kind, application.data, { receivedAt: receivedAt.toISOString() });
  const age = subject.kind === 'manifest' ? (subject.derived.ageAtDeparture ?? 0) : subject.derived.age;
  return { sex: person.sex, ageBand: ageBandOf(age), province: person.provinceOfOrigin };
}

export class FairnessTally {
  private readonly overall: Tally = { count: 0, flagged: 0, postponeRecommended: 0 };
  private readonly groups = { sex: new Map<string, Tally>(), ageBand: new Map<string, Tally>(), province: new Map<string, Tally>() };

  add(attributes: { sex: string; ageBand: string; province: string }, outcome: Outcome): void {
    const bump = (tally: Tally) => {
      tally.count += 1;
      if (outcome !== 'CLEAR') tally.flagged += 1;
      if (outcome === 'POSTPONE_RECOMMENDED') tally.postponeRecommended += 1;
    };
    bump(this.overall);
    for (const key of ['sex', 'ageBand', 'province'] as const) {
      const map = this.groups[key];
      let tally = map.get(attributes[key]);
      if (!tally) map.set(attributes[key], (tally = { count: 0, flagged: 0, postponeRecommended: 0 }));
      bump(tally);
    }
  }

  report(): FairnessReport {
    const overallFlag = rate(this.overall.flagged, this.overall.count);
    const overallPostpone = rate(this.overall.postponeRecommended, this.overall.count);
    const rows = (map: Map<string, Tally>, order?: readonly string[]) =>
      [...map.entries()]
        .map(([group, t]): GroupRates => {
          const flagRate = rate(t.flagged, t.count);
          const postponeRate = rate(t.postponeRecommended, t.count);
          return {
            group,
            count: t.count,
            flagged: t.flagged,
            flagRate,
            flagRatio: ratio(flagRate, overallFlag),
            postponeRecommended: t.postponeRecommended,
            postponeRate,
            postponeRatio: ratio(postponeRate, overallPostpone),
            smallSample: t.count < MIN_GROUP_SIZE,
          };
        })
        .sort((a, b) => (order ? order.indexOf(a.group) - order.indexOf(b.group) : a.group.localeCompare(b.group)));
    return {
      overall: { ...this.overall, flagRate: overallFlag, postponeRate: overallPostpone },
      bySex: rows(this.groups.sex),
      byAgeBand: rows(this.groups.ageBand, ageBands),
      byProvince: rows(this.groups.province),
      minimumGroupSize: MIN_GROUP_SIZE,
    };
  }
}

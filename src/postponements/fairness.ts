/**
 * Fairness of what people decided: per office and quarter (Asia/Jakarta), the share of reviewed
 * applications a person postponed, by sex, age band and province of origin, beside the engine's flag
 * rate for the same applications. A group's ratio compares it with its own office and quarter, so a
 * supervisor sees where officers postpone one group more often than the rules flag it. It describes;
 * it blocks nothing, and small groups are marked.
 *
 * "Reviewed" is an application whose first case (not a re-review) a person decided: cleared,
 * referred, or postponed (with the second person's approval where four eyes applies: a postponement
 * awaiting approval is not decided yet).
 */
import { sql } from 'drizzle-orm';
import type { RootDatabase } from '../db/client';
import { ageBands, MIN_GROUP_SIZE } from '../rulesets/fairness';
import { STATS_TIME_ZONE } from './time';

export interface DecisionFairnessFilter {
  from: Date;
  to: Date;
  office: string | null;
  kind?: 'departure' | 'passport' | undefined;
}

export interface DecisionGroupRates {
  group: string;
  applications: number;
  /** The engine flagged it (REVIEW or POSTPONE_RECOMMENDED). */
  engineFlagged: number;
  engineFlagRate: number;
  engineFlagRatio: number | null;
  /** A person decided its case. */
  reviewed: number;
  postponed: number;
  /** postponed / reviewed. */
  postponementRate: number;
  /** postponementRate / the office-and-quarter's postponementRate; null when nobody there was postponed. */
  postponementRatio: number | null;
  /** Fewer than the minimum group size reviewed: the rate swings on a handful of people. */
  smallSample: boolean;
}

export interface DecisionFairnessPeriod {
  officeCode: string;
  quarter: string;
  overall: Omit<DecisionGroupRates, 'group' | 'engineFlagRatio' | 'postponementRatio'>;
  bySex: DecisionGroupRates[];
  byAgeBand: DecisionGroupRates[];
  byProvince: DecisionGroupRates[];
}

interface Row extends Record<string, unknown> {
  office_code: string;
  quarter: string;
  dimension: 'overall' | 'sex' | 'ageBand' | 'province';
  grp: string | null;
  applications: number;
  engine_flagged: number;
  reviewed: number;
  postponed: number;
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;
const rate = (part: number, whole: number) => (whole === 0 ? 0 : round(part / whole));
const ratio = (groupRate: number, overallRate: number) => (overallRate === 0 ? null : round(groupRate / overallRate));

/** The age band SQL, the same bands as the rule-set fairness report (age on the departure day, else at receipt). */
const ageBandSql = sql.raw(`CASE
  WHEN age < 18 THEN '${ageBands[0]}' WHEN age < 25 THEN '${ageBands[1]}' WHEN age < 35 THEN '${ageBands[2]}'
  WHEN age < 45 THEN '${ageBands[3]}' WHEN age < 55 THEN '${ageBands[4]}' ELSE '${ageBands[5]}' END`);

export async function decisionFairness(db: RootDatabase, filter: DecisionFairnessFilter): Promise<{ timeZone: string; from: string; to: string; minimumGroupSize: number; periods: DecisionFairnessPeriod[] }> {
  const zone = sql.raw(`'${STATS_TIME_ZONE}'`);
  const result = await db.execute<Row>(sql`
    WITH base AS (
      SELECT a.office_code, to_char(a.submitted_at AT TIME ZONE ${zone}, 'YYYY-"Q"Q') AS quarter,
        coalesce(a.payload->'traveller'->>'sex', a.payload->'applicant'->>'sex') AS sex,
        coalesce(a.payload->'traveller'->>'provinceOfOrigin', a.payload->'applicant'->>'provinceOfOrigin') AS province,
        date_part('year', age(coalesce(a.departure_at, a.submitted_at) AT TIME ZONE ${zone}, a.date_of_birth))::int AS age,
        a.outcome <> 'CLEAR' AS engine_flagged,
        c.id IS NOT NULL AS reviewed,
        coalesce(c.action = 'postpone', false) AS postponed
      FROM applications a
      LEFT JOIN LATERAL (
        SELECT x.id, x.action FROM cases x
        WHERE x.application_id = a.id AND x.postponement_id IS NULL AND x.state = 'decided'
        ORDER BY x.created_at LIMIT 1
      ) c ON true
      WHERE a.submitted_at >= ${filter.from.toISOString()}::timestamptz AND a.submitted_at < ${filter.to.toISOString()}::timestamptz
        ${filter.office === null ? sql`` : sql`AND a.office_code = ${filter.office}`}
        ${filter.kind === undefined ? sql`` : sql`AND a.kind = ${filter.kind}`}
    ), banded AS (SELECT *, ${ageBandSql} AS age_band FROM base)
    SELECT office_code, quarter,
      CASE WHEN GROUPING(sex) = 0 THEN 'sex' WHEN GROUPING(age_band) = 0 THEN 'ageBand' WHEN GROUPING(province) = 0 THEN 'province' ELSE 'overall' END AS dimension,
      coalesce(sex, age_band, province) AS grp,
      count(*)::int AS applications, count(*) FILTER (WHERE engine_flagged)::int AS engine_flagged,
      count(*) FILTER (WHERE reviewed)::int AS reviewed, count(*) FILTER (WHERE postponed)::int AS postponed
    FROM banded
    GROUP BY GROUPING SETS ((office_code, quarter), (office_code, quarter, sex), (office_code, quarter, age_band), (office_code, quarter, province))
    ORDER BY office_code, quarter`);

  const periods = new Map<string, DecisionFairnessPeriod>();
  const overallOf = new Map<string, Row>();
  for (const row of result.rows) if (row.dimension === 'overall') overallOf.set(`${row.office_code}|${row.quarter}`, row);
  for (const row of result.rows) {
    const key = `${row.office_code}|${row.quarter}`;
    const overall = overallOf.get(key)!;
    const overallFlag = rate(overall.engine_flagged, overall.applications);
    const overallPostponed = rate(overall.postponed, overall.reviewed);
    let period = periods.get(key);
    if (!period) {
      period = {
        officeCode: row.office_code,
        quarter: row.quarter,
        overall: {
          applications: overall.applications,
          engineFlagged: overall.engine_flagged,
          engineFlagRate: overallFlag,
          reviewed: overall.reviewed,
          postponed: overall.postponed,
          postponementRate: overallPostponed,
          smallSample: overall.reviewed < MIN_GROUP_SIZE,
        },
        bySex: [],
        byAgeBand: [],
        byProvince: [],
      };
      periods.set(key, period);
    }
    if (row.dimension === 'overall') continue;
    const engineFlagRate = rate(row.engine_flagged, row.applications);
    const postponementRate = rate(row.postponed, row.reviewed);
    const rates: DecisionGroupRates = {
      group: row.grp ?? 'unknown',
      applications: row.applications,
      engineFlagged: row.engine_flagged,
      engineFlagRate,
      engineFlagRatio: ratio(engineFlagRate, overallFlag),
      reviewed: row.reviewed,
      postponed: row.postponed,
      postponementRate,
      postponementRatio: ratio(postponementRate, overallPostponed),
      smallSample: row.reviewed < MIN_GROUP_SIZE,
    };
    const list = row.dimension === 'sex' ? period.bySex : row.dimension === 'ageBand' ? period.byAgeBand : period.byProvince;
    list.push(rates);
  }
  const bandOrder = (group: string) => (ageBands as readonly string[]).indexOf(group);
  for (const period of periods.values()) {
    period.bySex.sort((a, b) => a.group.localeCompare(b.group));
    period.byAgeBand.sort((a, b) => bandOrder(a.group) - bandOrder(b.group));
    period.byProvince.sort((a, b) => a.group.localeCompare(b.group));
  }
  return { timeZone: STATS_TIME_ZONE, from: filter.from.toISOString(), to: filter.to.toISOString(), minimumGroupSize: MIN_GROUP_SIZE, periods: [...periods.values()] };
}

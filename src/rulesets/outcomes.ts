/**
 * Rule outcome figures: for each rule, how many applications received in a window it hit, and how
 * those applications ended once a person decided (cleared, postponed, referred), or that no one has
 * yet (still open, awaiting a second approval), or that none had to (no case: the score stayed under
 * the review threshold). Counted on each application's latest decision (the one in front of the
 * officer), overall and per office. This is what a rules administrator tunes weights with.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';

export interface RuleOutcomeCounts {
  /** Applications whose latest decision carries the rule's hit. */
  hits: number;
  cleared: number;
  postponed: number;
  referred: number;
  /** A case waits in the queue (open or claimed). */
  open: number;
  /** An officer postponed; the second person has not approved yet. */
  awaitingApproval: number;
  /** No case: the application was CLEAR, so no person was asked. */
  noCase: number;
  /** postponed / (cleared + postponed + referred); null before anyone decided. */
  postponedShare: number | null;
}

export interface RuleOutcomes {
  from: string;
  to: string;
  office: string | null;
  kind: string | null;
  version: string | null;
  /** Applications in the window (with a decision in scope), hit or not. */
  applications: number;
  rules: Array<{ ruleId: string } & RuleOutcomeCounts & { byOffice: Array<{ office: string } & RuleOutcomeCounts> }>;
}

export interface RuleOutcomeFilter {
  from: Date;
  to: Date;
  /** Only this office's applications (null: every office). */
  office: string | null;
  kind?: 'departure' | 'passport' | undefined;
  /** Only decisions made with this rule-set version (null: whatever version decided each application last). */
  version?: string | null | undefined;
}

type Row = { rule_id: string | null; office: string | null; hits: number; cleared: number; postponed: number; referred: number; open: number; awaiting_approval: number; no_case: number };

const empty = (): Omit<RuleOutcomeCounts, 'postponedShare'> => ({ hits: 0, cleared: 0, postponed: 0, referred: 0, open: 0, awaitingApproval: 0, noCase: 0 });

function withShare(counts: Omit<RuleOutcomeCounts, 'postponedShare'>): RuleOutcomeCounts {
  const decided = counts.cleared + counts.postponed + counts.referred;
  return { ...counts, postponedShare: decided === 0 ? null : Math.round((counts.postponed / decided) * 10_000) / 10_000 };
}

export async function ruleOutcomes(db: Database, filter: RuleOutcomeFilter): Promise<RuleOutcomes> {
  const version = filter.version ?? null;
  // The application's first case (not a re-review of a postponement) is the one its screening opened.
  const result = await db.execute(sql`
    with latest as (
      select distinct on (d.application_id) d.application_id, d.hits, a.office_code
        from decisions d
        join applications a on a.id = d.application_id
       where a.submitted_at >= ${filter.from.toISOString()}::timestamptz and a.submitted_at < ${filter.to.toISOString()}::timestamptz
         and (${filter.office}::text is null or a.office_code = ${filter.office}::text)
         and (${filter.kind ?? null}::text is null or a.kind::text = ${filter.kind ?? null}::text)
         and (${version}::text is null or d.rule_set_version = ${version}::text)
       order by d.application_id, d.created_at desc, d.id desc
    ), ended as (
      select l.application_id, l.hits, l.office_code, c.state, c.action, c.id as case_id
        from latest l
        left join cases c on c.application_id = l.application_id and c.postponement_id is null
    )
    select h.rule_id, e.office_code as office,
           count(*)::int as hits,
           count(*) filter (where e.state = 'decided' and e.action = 'clear')::int as cleared,
           count(*) filter (where e.state = 'decided' and e.action = 'postpone')::int as postponed,
           count(*) filter (where e.state = 'decided' and e.action = 'refer')::int as referred,
           count(*) filter (where e.state in ('open', 'claimed'))::int as open,
           count(*) filter (where e.state = 'pending_approval')::int as awaiting_approval,
           count(*) filter (where e.case_id is null)::int as no_case
      from ended e
      cross join lateral (select distinct x->>'ruleId' as rule_id from jsonb_array_elements(e.hits) x) h
     group by h.rule_id, e.office_code
    union all
    select null, null, count(*)::int, 0, 0, 0, 0, 0, 0 from latest
  `);
  const rows = result.rows as unknown as Row[];
  const byRule = new Map<string, { total: Omit<RuleOutcomeCounts, 'postponedShare'>; offices: Map<string, Omit<RuleOutcomeCounts, 'postponedShare'>> }>();
  let applications = 0;
  for (const row of rows) {
    if (row.rule_id === null) {
      applications = row.hits;
      continue;
    }
    let rule = byRule.get(row.rule_id);
    if (!rule) byRule.set(row.rule_id, (rule = { total: empty(), offices: new Map() }));
    const counts = { hits: row.hits, cleared: row.cleared, postponed: row.postponed, referred: row.referred, open: row.open, awaitingApproval: row.awaiting_approval, noCase: row.no_case };
    for (const key of Object.keys(counts) as Array<keyof typeof counts>) rule.total[key] += counts[key];
    rule.offices.set(row.office!, counts);
  }
  return {
    from: filter.from.toISOString(),
    to: filter.to.toISOString(),
    office: filter.office,
    kind: filter.kind ?? null,
    version,
    applications,
    rules: [...byRule.entries()]
      .map(([ruleId, { total, offices }]) => ({
        ruleId,
        ...withShare(total),
        byOffice: [...offices.entries()].map(([office, counts]) => ({ office, ...withShare(counts) })).sort((a, b) => (a.office < b.office ? -1 : 1)),
      }))
      .sort((a, b) => b.hits - a.hits || (a.ruleId < b.ruleId ? -1 : 1)),
  };
}

import { randomInt } from 'node:crypto';
import type { RootDatabase } from '../../src/db/client';
import { applications, decisions } from '../../src/applications/schema';
import { recordAudit } from '../../src/audit/service';
import { caseOpenedAudits, caseRowsFor } from '../../src/review/open-case';
import { cases } from '../../src/review/schema';
import type { CaseRow } from '../../src/review/schema';

export interface ApplicationFixture {
  kind?: 'departure' | 'passport';
  officeCode?: string;
  outcome?: 'CLEAR' | 'REVIEW' | 'POSTPONE_RECOMMENDED';
  score?: number;
  destinationCountry?: string;
  departureAt?: Date | null;
  submittedAt?: Date;
  fullName?: string;
  nik?: string;
}

const randomNik = () => `3171${String(randomInt(0, 1e9)).padStart(9, '0')}001`.slice(0, 16);

/**
 * Stores an application with a decision (and, when flagged, its open case) straight in the
 * database, for tests of components downstream of intake.
 */
export async function insertFlaggedApplication(
  db: RootDatabase,
  fixture: ApplicationFixture = {},
): Promise<{ applicationId: string; caseRow: CaseRow | null }> {
  const kind = fixture.kind ?? 'departure';
  const outcome = fixture.outcome ?? 'REVIEW';
  const score = fixture.score ?? (outcome === 'POSTPONE_RECOMMENDED' ? 80 : outcome === 'REVIEW' ? 50 : 0);
  const submittedAt = fixture.submittedAt ?? new Date();
  const departureAt = kind === 'departure' ? (fixture.departureAt ?? new Date(submittedAt.getTime() + 6 * 3600_000)) : null;
  const officeCode = fixture.officeCode ?? (kind === 'departure' ? 'TPI-CGK' : 'KANIM-JAKSEL');
  return db.transaction(async (tx) => {
    const [application] = await tx
      .insert(applications)
      .values({
        kind,
        officeCode,
        submittedBy: 'fixture',
        submittedAt,
        fullName: fixture.fullName ?? 'Siti Rahayu',
        nik: fixture.nik ?? randomNik(),
        passportNumber: kind === 'departure' ? 'C1234567' : null,
        dateOfBirth: '1999-04-12',
        destinationCountry: fixture.destinationCountry ?? 'KH',
        departureAt,
        payload: { fixture: true },
        outcome,
        score,
        ruleSetVersion: 'rs-fixture',
      })
      .returning();
    if (!application) throw new Error('fixture insert failed');
    await tx.insert(decisions).values({ applicationId: application.id, ruleSetVersion: 'rs-fixture', outcome, score, hits: [], trigger: 'intake' });
    if (outcome === 'CLEAR') return { applicationId: application.id, caseRow: null };
    const toOpen = [{ application: { applicationId: application.id, kind, officeCode, outcome, score, departureAt, openedAt: submittedAt }, actor: null, requestId: null }];
    const rows = caseRowsFor(toOpen, { departureMarginMinutes: 60, passportSlaHours: 72 });
    const [caseRow] = await tx.insert(cases).values(rows).returning();
    if (!caseRow) throw new Error('fixture case insert failed');
    await recordAudit(tx, caseOpenedAudits(rows, toOpen)[0]!);
    return { applicationId: application.id, caseRow };
  });
}

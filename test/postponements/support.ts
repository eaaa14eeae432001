import { get, post, query, type TestContext } from '../support/harness';

export type User = Awaited<ReturnType<TestContext['userFor']>>;

export { get, post, query };

/** Empties the log (and its follow-ups) so each test counts only what it writes. */
export async function emptyLog(ctx: TestContext): Promise<void> {
  await query(ctx, 'DELETE FROM postponement_follow_ups');
  await query(ctx, 'DELETE FROM postponements');
}

export interface LogRow {
  kind?: 'departure' | 'passport_issuance';
  office?: string;
  destination?: string;
  reason?: string;
  note?: string;
  decidedAt: string;
}

/** Writes log entries straight to the table, as a fixture for reads; returns their ids in order. */
export async function insertLogRows(ctx: TestContext, rows: LogRow[]): Promise<string[]> {
  const ids: string[] = [];
  for (const row of rows) {
    const kind = row.kind ?? 'departure';
    const [inserted] = await query<{ id: string }>(
      ctx,
      `INSERT INTO postponements (kind, office_code, destination_country, reason_code, note, decided_by, decided_at)
       VALUES ($1, $2, $3, $4, $5, 'fixture', $6) RETURNING id`,
      [kind, row.office ?? (kind === 'departure' ? 'TPI-CGK' : 'KANIM-JAKSEL'), row.destination ?? 'KH', row.reason ?? 'nonprocedural_migrant_worker', row.note ?? 'fixture', row.decidedAt],
    );
    ids.push(inserted!.id);
  }
  return ids;
}

/** A valid manual postponement body for a checkpoint officer. */
export const manualBody = (overrides: object = {}) => ({
  kind: 'departure',
  destinationCountry: 'KH',
  reasonCode: 'nonprocedural_migrant_worker',
  note: 'Keberangkatan ditunda: tidak memiliki ID PMI.',
  ...overrides,
});

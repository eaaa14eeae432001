import { insertFlaggedApplication, type ApplicationFixture } from '../support/fixtures';
import { api, bearer, get, post, query, type TestContext } from '../support/harness';

/** Opens a flagged case through the fixture and returns its id. */
export async function openCaseFor(ctx: TestContext, fixture: ApplicationFixture = {}): Promise<string> {
  const { caseRow } = await insertFlaggedApplication(ctx.database.db, fixture);
  if (!caseRow) throw new Error('fixture did not open a case');
  return caseRow.id;
}

export { get, post, query };

export async function caseRow(ctx: TestContext, id: string) {
  const [row] = await query(ctx, 'SELECT * FROM cases WHERE id = $1', [id]);
  if (!row) throw new Error(`no case ${id}`);
  return row;
}

/** Removes every case, so each test's queue holds only what it creates. */
export async function emptyQueue(ctx: TestContext): Promise<void> {
  await query(ctx, 'DELETE FROM cases');
}

export async function auditActions(ctx: TestContext, caseId: string): Promise<string[]> {
  const rows = await query<{ action: string }>(ctx, "SELECT action FROM audit_log WHERE target_type = 'case' AND target_id = $1 ORDER BY id", [caseId]);
  return rows.map((row) => row.action);
}

export const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000);

export const next = (ctx: TestContext, token: string) => api(ctx).post('/api/v1/cases/next').set(bearer(token));

import { parse as parseCsv } from 'csv-parse/sync';
import { insertFlaggedApplication } from '../support/fixtures';
import { api, bearer, createTestContext, type TestContext } from '../support/harness';
import { emptyLog, get, post, query, type User } from './support';

/**
 * Four eyes by default (issue 23): a postponement stops a citizen from travelling, so at every office
 * it waits for a second person unless an admin has switched that off for the office, on the record.
 */
describe('postponements: four eyes by default', () => {
  let ctx: TestContext;
  let officer: User;
  let supervisor: User;
  let national: User;
  beforeAll(async () => {
    ctx = await createTestContext();
    officer = await ctx.userFor('officer', 'TPI-DPS');
    supervisor = await ctx.userFor('supervisor', 'TPI-DPS');
    national = await ctx.userFor('supervisor', 'HQ');
  });
  afterAll(() => ctx.close());
  beforeEach(async () => {
    await emptyLog(ctx);
    await query(ctx, 'DELETE FROM cases');
  });

  const postpone = async (by: User, officeCode = 'TPI-DPS') => {
    const { caseRow } = await insertFlaggedApplication(ctx.database.db, { officeCode, destinationCountry: 'KH' });
    expect((await post(ctx, by.token, `/cases/${caseRow!.id}/claim`)).status).toBe(200);
    const res = await post(ctx, by.token, `/cases/${caseRow!.id}/decision`, {
      action: 'postpone',
      reasonCode: 'nonprocedural_migrant_worker',
      note: 'Belum terdaftar di SISKOP2MI.',
    });
    expect(res.status).toBe(200);
    return { caseId: caseRow!.id, decision: res.body };
  };

  it('given a reference office nobody configured, when its settings are read, then postponements there need approval', async () => {
    const res = await get(ctx, officer.token, '/offices');
    expect(res.status).toBe(200);
    const offices = res.body.items as Array<{ code: string; kind: string; requiresPostponementApproval: boolean }>;
    expect(offices.filter((o) => o.kind !== 'headquarters').every((o) => o.requiresPostponementApproval)).toBe(true);
  });

  it('given the default, when an officer postpones from the queue, then the case waits for approval and no postponement is in force yet', async () => {
    const { caseId, decision } = await postpone(officer);

    expect(decision.state).toBe('pending_approval');
    expect(await query(ctx, 'SELECT id FROM postponements WHERE case_id = $1', [caseId])).toHaveLength(0);
    expect((await get(ctx, national.token, '/postponements?office=TPI-DPS')).body.items).toEqual([]);
  });

  it('given a supervisor who postponed a case themselves, when they approve it, then 403 and nothing is logged', async () => {
    const { caseId } = await postpone(supervisor);

    const res = await post(ctx, supervisor.token, `/cases/${caseId}/approval`, { approve: true });

    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/someone other than its author/);
    expect(await query(ctx, 'SELECT id FROM postponements WHERE case_id = $1', [caseId])).toHaveLength(0);
  });

  it('given an approved postponement, when read, listed, exported and counted, then the approver and the approval time are on each', async () => {
    const { caseId } = await postpone(officer);
    const approved = await post(ctx, supervisor.token, `/cases/${caseId}/approval`, { approve: true });
    expect(approved.status).toBe(200);
    const [row] = await query<{ id: string; approved_at: Date }>(ctx, 'SELECT id, approved_at FROM postponements WHERE case_id = $1', [caseId]);

    const one = await get(ctx, national.token, `/postponements/${row!.id}`);
    expect(one.body).toMatchObject({ decidedBy: officer.id, approvedBy: supervisor.id, approvedAt: row!.approved_at.toISOString() });

    const list = await get(ctx, national.token, `/postponements?approvedBy=${supervisor.id}`);
    expect(list.body.items.map((p: { id: string }) => p.id)).toEqual([row!.id]);
    expect((await get(ctx, national.token, '/postponements?approved=false')).body.items).toEqual([]);

    const csv = await get(ctx, national.token, '/postponements/export.csv?approved=true');
    const [record] = parseCsv(csv.text, { columns: true, bom: true }) as Record<string, string>[];
    expect(record).toMatchObject({
      id: row!.id,
      decided_by: officer.id,
      approved_by: supervisor.id,
      approved_by_name: supervisor.username,
      approved_at_utc: row!.approved_at.toISOString(),
    });
    expect(record!.approved_at_wib).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

    const stats = await get(ctx, national.token, '/postponements/stats?groupBy=approver');
    expect(stats.body.groups).toEqual([{ approver: supervisor.id, count: 1 }]);
  });

  it('given an admin who switches approval off for one office, when an officer there postpones, then it is final at once, without an approver, and the change is audited', async () => {
    const admin = await ctx.userFor('admin', 'HQ');
    const off = await api(ctx).patch('/api/v1/offices/TPI-DPS').set(bearer(admin.token)).send({ requiresPostponementApproval: false });
    expect(off.status).toBe(200);
    try {
      const [audit] = await query<{ actor_id: string; before: object; after: object }>(
        ctx,
        "SELECT actor_id, before, after FROM audit_log WHERE action = 'office.settings_changed' AND target_id = 'TPI-DPS' ORDER BY id DESC LIMIT 1",
      );
      expect(audit).toMatchObject({ actor_id: admin.id, before: { requiresPostponementApproval: true }, after: { requiresPostponementApproval: false } });

      const { caseId, decision } = await postpone(officer);
      expect(decision.state).toBe('decided');
      const [row] = await query(ctx, 'SELECT approved_by, approved_at FROM postponements WHERE case_id = $1', [caseId]);
      expect(row).toEqual({ approved_by: null, approved_at: null });
    } finally {
      await api(ctx).patch('/api/v1/offices/TPI-DPS').set(bearer(admin.token)).send({ requiresPostponementApproval: true });
    }
  });
});

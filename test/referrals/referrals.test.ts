import { parse as parseCsv } from 'csv-parse/sync';
import { insertFlaggedApplication } from '../support/fixtures';
import { createTestContext, get, post, query, type TestContext } from '../support/harness';

type User = Awaited<ReturnType<TestContext['userFor']>>;

/**
 * Referral to protection (issue 23): a `refer` decision sends the traveller to an agency that
 * protects, tracks it to closure, shows open and overdue ones to supervisors, and exports them in
 * HTCDS terms. A referral is never a watchlist entry.
 */
describe('referrals to protection', () => {
  let ctx: TestContext;
  let officer: User;
  let supervisor: User;
  let national: User;
  beforeAll(async () => {
    ctx = await createTestContext();
    officer = await ctx.userFor('officer', 'TPI-CGK');
    supervisor = await ctx.userFor('supervisor', 'TPI-CGK');
    national = await ctx.userFor('supervisor', 'HQ');
  });
  afterAll(() => ctx.close());
  beforeEach(async () => {
    await query(ctx, 'DELETE FROM referral_events');
    await query(ctx, 'DELETE FROM referrals');
  });

  async function refer(body: object = {}) {
    const { caseRow } = await insertFlaggedApplication(ctx.database.db, { officeCode: 'TPI-CGK', fullName: 'Dewi Lestari', destinationCountry: 'KH' });
    expect((await post(ctx, officer.token, `/cases/${caseRow!.id}/claim`)).status).toBe(200);
    const res = await post(ctx, officer.token, `/cases/${caseRow!.id}/decision`, {
      action: 'refer',
      reasonCode: 'suspected_trafficking_victim',
      note: 'Paspor dipegang pendamping.',
      ...body,
    });
    return { caseId: caseRow!.id, res };
  }

  it('given a refer decision, when it is made, then a referral is sent to the named agency with its indicators and due date, and no watchlist changes', async () => {
    const watchlistBefore = await query(ctx, 'SELECT count(*)::int AS n FROM watchlist_entries');

    const { caseId, res } = await refer({
      referral: { agency: 'lpsk', agencyDetail: 'LPSK Jakarta', indicators: ['documents_held_by_others', 'recruited_online'], dueDate: '2099-01-10', details: 'Butuh pendampingan.' },
    });

    expect(res.status).toBe(200);
    expect(res.body.state).toBe('decided');
    const list = await get(ctx, officer.token, '/referrals?status=open');
    expect(list.body.items).toEqual([
      expect.objectContaining({
        caseId,
        agency: 'lpsk',
        agencyDetail: 'LPSK Jakarta',
        indicators: ['documents_held_by_others', 'recruited_online'],
        status: 'sent',
        dueDate: '2099-01-10',
        overdue: false,
        createdBy: officer.id,
      }),
    ]);
    expect(await query(ctx, 'SELECT count(*)::int AS n FROM watchlist_entries')).toEqual(watchlistBefore);
    expect(await query(ctx, "SELECT action FROM audit_log WHERE target_type = 'referral'")).toEqual([{ action: 'referral.sent' }]);
  });

  it('given a sent referral, when the agency acknowledges and it is closed with an outcome, then each step is in its history; it cannot go back', async () => {
    await refer({ referral: { agency: 'kp2mi_bp3mi', agencyDetail: 'BP3MI Banten' } });
    const [{ id }] = (await query<{ id: string }>(ctx, 'SELECT id FROM referrals')) as [{ id: string }];

    expect((await post(ctx, officer.token, `/referrals/${id}/status`, { status: 'closed' })).status).toBe(400);
    const acknowledged = await post(ctx, officer.token, `/referrals/${id}/status`, { status: 'acknowledged', note: 'Diterima petugas BP3MI.' });
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body).toMatchObject({ status: 'acknowledged', acknowledgedAt: expect.any(String) });
    const closed = await post(ctx, supervisor.token, `/referrals/${id}/status`, { status: 'closed', outcome: 'assisted', note: 'Dipulangkan ke Karawang.' });

    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', outcome: 'assisted', closedAt: expect.any(String) });
    expect(closed.body.history.map((h: { status: string }) => h.status)).toEqual(['sent', 'acknowledged', 'closed']);
    expect(closed.body.history[2]).toMatchObject({ outcome: 'assisted', note: 'Dipulangkan ke Karawang.', recordedBy: supervisor.id });
    expect((await post(ctx, officer.token, `/referrals/${id}/status`, { status: 'acknowledged' })).status).toBe(409);
    expect((await get(ctx, await ctx.tokenFor('officer', 'TPI-DPS'), `/referrals/${id}`)).status).toBe(404);
  });

  it('given a refer decision without details, then the traveller is referred to KP2MI/BP3MI, due in 7 days', async () => {
    const { res } = await refer();
    expect(res.status).toBe(200);
    const [row] = await query<{ agency: string; days: number }>(ctx, "SELECT agency, due_date - (now() AT TIME ZONE 'Asia/Jakarta')::date AS days FROM referrals");
    expect(row).toEqual({ agency: 'kp2mi_bp3mi', days: 7 });
  });

  it('given open referrals, one past its due date, when the supervisor board asks, then it shows open and overdue per office', async () => {
    await refer();
    await refer();
    await query(ctx, "UPDATE referrals SET due_date = '2025-01-01' WHERE id = (SELECT id FROM referrals LIMIT 1)");
    const [closedOne] = await query<{ id: string }>(ctx, "SELECT id FROM referrals WHERE due_date <> '2025-01-01'");
    await refer();

    await post(ctx, officer.token, `/referrals/${closedOne!.id}/status`, { status: 'closed', outcome: 'no_contact' });
    const summary = await get(ctx, supervisor.token, '/referrals/summary');

    expect(summary.status).toBe(200);
    expect(summary.body).toEqual({ open: 2, overdue: 1, offices: [{ office: 'TPI-CGK', open: 2, overdue: 1 }] });
    expect((await get(ctx, supervisor.token, '/referrals?overdue=true')).body.items).toHaveLength(1);
  });

  it('given referrals, when exported for partners, then the columns follow HTCDS where it has fields and carry no personal data unless asked for (and audited)', async () => {
    await refer({ referral: { agency: 'police_anti_trafficking', indicators: ['documents_held_by_others', 'job_offer_too_good', 'job_advertisement', 'travel_paid_by_third_party'] } });

    const res = await get(ctx, national.token, '/referrals/export.csv');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const [record] = parseCsv(res.text, { columns: true, bom: true }) as Record<string, string>[];
    expect(record).toMatchObject({
      cas_Status: 'Active',
      cas_ReferringOrganisation: 'Direktorat Jenderal Imigrasi - TPI Bandara Soekarno-Hatta',
      cas_ReferredOrganisation: 'Police anti-trafficking task force',
      org_Type: 'LawEnforcement',
      cas_ReasonForOutgoingReferral: 'AdditionalServicesRequired',
      vic_MethodsOfControl: 'WithholdsDocuments;FalsePromises',
      vic_MethodOfRecruitment: 'Job offer/advertisement',
      saring_indicators: 'documents_held_by_others;job_offer_too_good;job_advertisement;travel_paid_by_third_party',
      saring_status: 'sent',
    });
    expect(res.text).not.toContain('Dewi');
    expect(res.text).not.toContain('1999-04-12');
    expect(Object.keys(record!).some((column) => column.startsWith('prs_'))).toBe(false);

    const withPersonal = await get(ctx, national.token, '/referrals/export.csv?personalData=true');
    const [full] = parseCsv(withPersonal.text, { columns: true, bom: true }) as Record<string, string>[];
    expect(full).toMatchObject({ prs_FirstName: 'Dewi Lestari', prs_Birthdate: '1999-04-12' });
    expect(await query(ctx, "SELECT actor_id FROM audit_log WHERE action = 'referral.exported_with_personal_data'")).toEqual([{ actor_id: national.id }]);
    expect((await get(ctx, officer.token, '/referrals/export.csv')).status).toBe(403);
  });
});

import { insertFlaggedApplication } from '../support/fixtures';
import { api, createTestContext, type TestContext } from '../support/harness';
import { emptyLog, get, insertLogRows, manualBody, post, query, type User } from './support';

describe('postponement log: recording, reading and follow-ups', () => {
  let ctx: TestContext;
  let officer: User;
  let passportOfficer: User;
  let otherOfficer: User;
  let nationalSupervisor: User;
  let officeSupervisor: User;
  beforeAll(async () => {
    ctx = await createTestContext();
    officer = await ctx.userFor('officer', 'TPI-CGK');
    passportOfficer = await ctx.userFor('passport_officer', 'KANIM-JAKSEL');
    otherOfficer = await ctx.userFor('officer', 'TPI-KNO');
    nationalSupervisor = await ctx.userFor('supervisor', 'HQ');
    officeSupervisor = await ctx.userFor('supervisor', 'TPI-KNO');
    // Four eyes is every office's default (migration 0040); these tests are about recording and reading the log, not approval,
    // so the office has it switched off, as an admin may.
    await query(ctx, "UPDATE offices SET requires_postponement_approval = false WHERE code IN ('TPI-CGK', 'KANIM-JAKSEL')");
  });
  afterAll(() => ctx.close());
  beforeEach(async () => {
    await emptyLog(ctx);
    await query(ctx, 'DELETE FROM cases');
  });

  const record = (by: User, body: object) => post(ctx, by.token, '/postponements', body);

  describe('both sources', () => {
    it('given a postponement decided in the review queue and one recorded manually, when listing, then both appear with their follow-ups and bilingual reason', async () => {
      const { caseRow } = await insertFlaggedApplication(ctx.database.db, { officeCode: 'TPI-CGK', destinationCountry: 'MM' });
      expect((await post(ctx, officer.token, `/cases/${caseRow!.id}/claim`)).status).toBe(200);
      const decided = await post(ctx, officer.token, `/cases/${caseRow!.id}/decision`, {
        action: 'postpone',
        reasonCode: 'suspected_trafficking_victim',
        note: 'Didampingi sponsor yang memegang paspor.',
      });
      expect(decided.status).toBe(200);

      const manual = await record(officer, manualBody({ destinationCountry: 'kh' }));
      expect(manual.status).toBe(201);

      const res = await get(ctx, officer.token, '/postponements');
      expect(res.status).toBe(200);
      expect(res.body.nextCursor).toBeNull();
      expect(res.body.items).toHaveLength(2);
      const [newest, oldest] = res.body.items;
      expect(newest).toMatchObject({
        id: manual.body.id,
        source: 'manual',
        kind: 'departure',
        caseId: null,
        applicationId: null,
        officeCode: 'TPI-CGK',
        destinationCountry: 'KH',
        reasonCode: 'nonprocedural_migrant_worker',
        reasonLabel: { id: 'Calon pekerja migran nonprosedural', en: 'Nonprocedural migrant worker' },
        decidedBy: officer.id,
        followUps: [],
      });
      expect(oldest).toMatchObject({
        source: 'review_queue',
        caseId: caseRow!.id,
        applicationId: caseRow!.applicationId,
        destinationCountry: 'MM',
        reasonCode: 'suspected_trafficking_victim',
        reasonLabel: { id: 'Diduga korban perdagangan orang', en: 'Suspected trafficking victim' },
        note: 'Didampingi sponsor yang memegang paspor.',
        followUps: [],
      });
    });

    it('given a manual postponement, when it is recorded, then the row, its default 30-day deadline and its audit record are written together', async () => {
      const res = await record(officer, manualBody());

      expect(res.status).toBe(201);
      // 30 days from when the server recorded it, as a Jakarta date: from the stored time, not this test's clock (which may be past midnight).
      const expectedDeadline = new Date(Date.parse(res.body.decidedAt) + 30 * 86_400_000).toLocaleDateString('en-CA', { timeZone: 'Asia/Jakarta' });
      expect(res.body).toMatchObject({ deadline: expectedDeadline, decidedBy: officer.id });
      const [row] = await query<{ xmin: string }>(ctx, 'SELECT xmin::text FROM postponements WHERE id = $1', [res.body.id]);
      const [audit] = await query<{ xmin: string; actor_id: string }>(
        ctx,
        "SELECT xmin::text, actor_id FROM audit_log WHERE action = 'postponement.recorded' AND target_id = $1",
        [res.body.id],
      );
      expect(audit).toMatchObject({ actor_id: officer.id, xmin: row!.xmin });
    });

    it('given a flagged application already decided in the queue as clear, when a postponement for it is recorded manually, then it takes the application destination', async () => {
      const { applicationId, caseRow } = await insertFlaggedApplication(ctx.database.db, { officeCode: 'TPI-CGK', destinationCountry: 'LA' });
      await query(ctx, "UPDATE cases SET state = 'decided', action = 'clear', reason_code = 'documents_verified' WHERE id = $1", [caseRow!.id]);

      const res = await record(officer, { kind: 'departure', applicationId, reasonCode: 'inconsistent_purpose', note: 'Keterangan tujuan berubah di gerbang.' });

      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ applicationId, caseId: null, destinationCountry: 'LA', source: 'manual' });
    });

    it('given a passport officer, when recording a passport issuance postponement at their office with a deadline, then it is stored as given', async () => {
      const res = await record(passportOfficer, manualBody({ kind: 'passport_issuance', destinationCountry: 'KH', deadline: '2099-01-31' }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ kind: 'passport_issuance', officeCode: 'KANIM-JAKSEL', deadline: '2099-01-31' });
    });

    it('given a headquarters supervisor, when recording for a named office, then it is recorded there; without an office, then 400', async () => {
      const named = await record(nationalSupervisor, manualBody({ officeCode: 'TPI-DPS' }));
      expect(named.status).toBe(201);
      expect(named.body.officeCode).toBe('TPI-DPS');

      const unnamed = await record(nationalSupervisor, manualBody());
      expect(unnamed.status).toBe(400);
      expect(unnamed.body.error.details.map((d: { path: string }) => d.path)).toEqual(['officeCode']);
    });
  });

  describe('validation', () => {
    it.each([
      ['no note', manualBody({ note: undefined }), 'note'],
      ['a blank note', manualBody({ note: '   ' }), 'note'],
      ['an unknown reason code', manualBody({ reasonCode: 'looked_suspicious' }), 'reasonCode'],
      ['a reason that may only clear', manualBody({ reasonCode: 'documents_verified' }), 'reasonCode'],
      ['an unknown kind', manualBody({ kind: 'deportation' }), 'kind'],
      ['a country name instead of a code', manualBody({ destinationCountry: 'Cambodia' }), 'destinationCountry'],
      ['no destination and no application', manualBody({ destinationCountry: undefined }), 'destinationCountry'],
      ['an application id that is not a uuid', manualBody({ applicationId: 'APP-1' }), 'applicationId'],
      ['a deadline that is not a date', manualBody({ deadline: '2026-02-30' }), 'deadline'],
      ['a decision time without an offset', manualBody({ decidedAt: '2025-03-01T10:00:00' }), 'decidedAt'],
      ['an unknown field', manualBody({ caseId: '00000000-0000-4000-8000-000000000000' }), 'caseId'],
    ])('given %s, when recording, then 400 naming the field and nothing is written', async (_what, body, path) => {
      const res = await record(officer, body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
      expect(await query(ctx, 'SELECT id FROM postponements')).toHaveLength(0);
    });

    it.each([
      ['a departure at a passport office', () => [nationalSupervisor, manualBody({ officeCode: 'KANIM-JAKSEL' })] as const, 'officeCode'],
      ['an office that does not exist', () => [nationalSupervisor, manualBody({ officeCode: 'TPI-XXX' })] as const, 'officeCode'],
      ['an application that does not exist', (u: User) => [u, manualBody({ applicationId: '00000000-0000-4000-8000-000000000000' })] as const, 'applicationId'],
      ['a deadline before the day of the decision', (u: User) => [u, manualBody({ decidedAt: '2025-03-01T10:00:00+07:00', deadline: '2025-02-28' })] as const, 'deadline'],
      ['a decision time in the future', (u: User) => [u, manualBody({ decidedAt: '2099-01-01T00:00:00Z' })] as const, 'decidedAt'],
    ])('given %s, when recording, then 400 naming the field', async (_what, make, path) => {
      const [by, body] = make(officer);
      const res = await record(by, body);
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual([path]);
      expect(await query(ctx, 'SELECT id FROM postponements')).toHaveLength(0);
    });

    it('given an application of the other kind, another office or another destination, when recording, then 400 on the field that disagrees', async () => {
      const { applicationId: passportApp } = await insertFlaggedApplication(ctx.database.db, { kind: 'passport', outcome: 'CLEAR' });
      const { applicationId: knoApp } = await insertFlaggedApplication(ctx.database.db, { officeCode: 'TPI-KNO', outcome: 'CLEAR' });
      const { applicationId: laosApp } = await insertFlaggedApplication(ctx.database.db, { destinationCountry: 'LA', outcome: 'CLEAR' });

      const paths = async (body: object) => (await record(officer, body)).body.error.details.map((d: { path: string }) => d.path);

      expect(await paths(manualBody({ applicationId: passportApp }))).toEqual(['applicationId']);
      // Another office's application does not exist for this officer.
      expect(await paths(manualBody({ applicationId: knoApp }))).toEqual(['applicationId']);
      expect(await paths(manualBody({ applicationId: laosApp, destinationCountry: 'KH' }))).toEqual(['destinationCountry']);
    });

    it('given an application still in the review queue, or already postponed, when recording manually, then 409', async () => {
      const { applicationId } = await insertFlaggedApplication(ctx.database.db, { officeCode: 'TPI-CGK' });
      const queued = await record(officer, manualBody({ applicationId, destinationCountry: undefined }));
      expect(queued.status).toBe(409);
      expect(queued.body.error.details).toMatchObject({ state: 'open' });

      const { applicationId: cleared } = await insertFlaggedApplication(ctx.database.db, { officeCode: 'TPI-CGK', outcome: 'CLEAR' });
      expect((await record(officer, manualBody({ applicationId: cleared, destinationCountry: undefined }))).status).toBe(201);
      expect((await record(officer, manualBody({ applicationId: cleared, destinationCountry: undefined }))).status).toBe(409);
      expect(await query(ctx, 'SELECT id FROM postponements')).toHaveLength(1);
    });

    it('given an officer, when recording for another office, then 403; an admin may not record at all', async () => {
      expect((await record(officer, manualBody({ officeCode: 'TPI-KNO' }))).status).toBe(403);
      const admin = await ctx.userFor('admin', 'HQ');
      expect((await record(admin, manualBody({ officeCode: 'TPI-CGK' }))).status).toBe(403);
    });

    it('given an office where postponements need four-eyes approval, when an officer records one manually, then 403; its supervisor may', async () => {
      await query(ctx, "UPDATE offices SET requires_postponement_approval = true WHERE code = 'TPI-KNO'");
      try {
        expect((await record(otherOfficer, manualBody())).status).toBe(403);
        expect((await record(officeSupervisor, manualBody())).status).toBe(201);
      } finally {
        await query(ctx, "UPDATE offices SET requires_postponement_approval = false WHERE code = 'TPI-KNO'");
      }
    });

    it.each([
      ['an unknown kind', 'kind=visa', 'kind'],
      ['a reason that is not a postponement reason', 'reason=documents_verified', 'reason'],
      ['a malformed date', 'from=31-01-2025', 'from'],
      ['a date-time without an offset', 'to=2025-01-31T10:00:00', 'to'],
      ['an empty range', 'from=2025-02-01&to=2025-01-31', 'to'],
      ['an unknown parameter', 'sort=asc', 'sort'],
      ['a cursor this API did not issue', 'cursor=abc', 'cursor'],
    ])('given %s in the list query, then 400 naming it', async (_what, qs, path) => {
      const res = await get(ctx, officer.token, `/postponements?${qs}`);
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    });
  });

  describe('listing', () => {
    it('given five entries, two at the same instant and one a microsecond apart, when paging at any size, then each appears once, newest first', async () => {
      const ids = await insertLogRows(ctx, [
        { decidedAt: '2025-03-01T01:00:00.123456Z' },
        { decidedAt: '2025-03-02T01:00:00.123456Z' },
        { decidedAt: '2025-03-02T01:00:00.123456Z' },
        { decidedAt: '2025-03-02T01:00:00.123457Z' },
        { decidedAt: '2025-03-03T01:00:00Z' },
      ]);
      const tied = [ids[1]!, ids[2]!].sort().reverse();
      const expected = [ids[4], ids[3], ...tied, ids[0]];

      for (const limit of [1, 2, 3]) {
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const res = await get(ctx, officer.token, `/postponements?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
          expect(res.status).toBe(200);
          seen.push(...res.body.items.map((item: { id: string }) => item.id));
          cursor = res.body.nextCursor;
          pages++;
        } while (cursor);

        expect(seen).toEqual(expected);
        expect(pages).toBe(Math.ceil(5 / limit));
      }
    });

    it('given entries of several kinds, destinations and reasons, when filtering, then only matching entries return', async () => {
      const [kh, mm, passport, incomplete] = await insertLogRows(ctx, [
        { decidedAt: '2025-01-10T03:00:00Z', destination: 'KH' },
        { decidedAt: '2025-01-11T03:00:00Z', destination: 'MM' },
        { decidedAt: '2025-01-12T03:00:00Z', kind: 'passport_issuance', office: 'KANIM-JAKSEL' },
        { decidedAt: '2025-01-13T03:00:00Z', reason: 'incomplete_documents' },
      ]);
      const ids = async (qs: string) => (await get(ctx, nationalSupervisor.token, `/postponements?${qs}`)).body.items.map((i: { id: string }) => i.id);

      expect(await ids('destination=mm')).toEqual([mm]);
      expect(await ids('kind=passport_issuance')).toEqual([passport]);
      expect(await ids('reason=incomplete_documents')).toEqual([incomplete]);
      expect(await ids('office=KANIM-JAKSEL')).toEqual([passport]);
      expect(await ids('kind=departure&destination=KH&reason=nonprocedural_migrant_worker')).toEqual([kh]);
    });

    it('given entries either side of a Jakarta midnight, when filtering by date, then the dates are Asia/Jakarta calendar days', async () => {
      const [lastOfJanuary, firstOfFebruary, endOfFebruary] = await insertLogRows(ctx, [
        { decidedAt: '2025-01-31T16:59:59Z' }, // 23:59:59 WIB on 31 January
        { decidedAt: '2025-01-31T17:00:00Z' }, // 00:00 WIB on 1 February
        { decidedAt: '2025-02-28T16:59:59.999Z' }, // last moment of February in WIB
      ]);
      const ids = async (qs: string) => (await get(ctx, officer.token, `/postponements?${qs}`)).body.items.map((i: { id: string }) => i.id);

      expect(await ids('from=2025-02-01&to=2025-02-28')).toEqual([endOfFebruary, firstOfFebruary]);
      expect(await ids('to=2025-01-31')).toEqual([lastOfJanuary]);
      expect(await ids('from=2025-02-01T00:00:00%2B07:00&to=2025-02-28T23:59:59.999%2B07:00')).toEqual([firstOfFebruary]);
    });
  });

  describe('follow-ups', () => {
    it('given a postponement, when follow-ups are added, then they are listed in order and the original record never changes', async () => {
      const created = await record(officer, manualBody({ note: 'Ditunda; kembali dengan surat rekomendasi.' }));
      const id = created.body.id;
      const [before] = await query(ctx, 'SELECT *, xmin::text AS xmin FROM postponements WHERE id = $1', [id]);

      const first = await post(ctx, officer.token, `/postponements/${id}/follow-ups`, { outcome: 'returned_home', note: 'Pulang ke Indramayu.' });
      const second = await post(ctx, officer.token, `/postponements/${id}/follow-ups`, { outcome: 'departed_procedurally' });

      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ outcome: 'returned_home', note: 'Pulang ke Indramayu.', recordedBy: officer.id });
      expect(second.status).toBe(201);
      const [after] = await query(ctx, 'SELECT *, xmin::text AS xmin FROM postponements WHERE id = $1', [id]);
      // Same xmin: no transaction has written the row since it was created.
      expect(after).toEqual(before);

      const res = await get(ctx, officer.token, `/postponements/${id}`);
      expect(res.status).toBe(200);
      const { followUps, ...original } = res.body;
      expect(original).toEqual((({ followUps: _f, ...rest }) => rest)(created.body));
      expect(followUps.map((f: { outcome: string }) => f.outcome)).toEqual(['returned_home', 'departed_procedurally']);
      expect(followUps[1].outcomeLabel).toEqual({ id: 'Berangkat kemudian secara prosedural', en: 'Departed later procedurally' });

      const audits = await query<{ after: { outcome: string } }>(
        ctx,
        "SELECT after FROM audit_log WHERE action = 'postponement.follow_up_recorded' AND target_id = $1 ORDER BY id",
        [id],
      );
      expect(audits.map((a) => a.after.outcome)).toEqual(['returned_home', 'departed_procedurally']);
      expect((await get(ctx, officer.token, '/postponements')).body.items[0].followUps).toHaveLength(2);
    });

    it.each([
      ['an unknown outcome', { outcome: 'vanished' }, 'outcome'],
      ['other without a note', { outcome: 'other' }, 'note'],
      ['an attempt to change the original', { outcome: 'referred', reasonCode: 'other' }, 'reasonCode'],
    ])('given %s, when adding a follow-up, then 400 naming the field', async (_what, body, path) => {
      const [id] = await insertLogRows(ctx, [{ decidedAt: '2025-02-01T00:00:00Z' }]);
      const res = await post(ctx, officer.token, `/postponements/${id}/follow-ups`, body);
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
      expect(await query(ctx, 'SELECT id FROM postponement_follow_ups')).toHaveLength(0);
    });
  });

  describe('office scoping', () => {
    it('given a postponement at another office, when an officer reads or follows it up, then 404 and it is absent from their list and filters', async () => {
      const [cgk] = await insertLogRows(ctx, [{ decidedAt: '2025-02-01T00:00:00Z', office: 'TPI-CGK' }]);
      const [kno] = await insertLogRows(ctx, [{ decidedAt: '2025-02-02T00:00:00Z', office: 'TPI-KNO' }]);

      expect((await get(ctx, otherOfficer.token, `/postponements/${cgk}`)).status).toBe(404);
      const followUp = await post(ctx, otherOfficer.token, `/postponements/${cgk}/follow-ups`, { outcome: 'referred' });
      expect(followUp.status).toBe(404);
      expect(followUp.body.error.code).toBe('NOT_FOUND');
      expect(await query(ctx, 'SELECT id FROM postponement_follow_ups')).toHaveLength(0);

      expect((await get(ctx, otherOfficer.token, '/postponements')).body.items.map((i: { id: string }) => i.id)).toEqual([kno]);
      expect((await get(ctx, otherOfficer.token, '/postponements?office=TPI-CGK')).status).toBe(404);
      expect((await get(ctx, officeSupervisor.token, '/postponements')).body.items.map((i: { id: string }) => i.id)).toEqual([kno]);
      expect((await get(ctx, nationalSupervisor.token, '/postponements')).body.items.map((i: { id: string }) => i.id)).toEqual([kno, cgk]);
      expect((await get(ctx, nationalSupervisor.token, `/postponements/${cgk}`)).status).toBe(200);
    });

    it('given an id that is not a uuid, or one that does not exist, when reading, then 400 and 404', async () => {
      expect((await get(ctx, officer.token, '/postponements/not-an-id')).status).toBe(400);
      expect((await get(ctx, officer.token, '/postponements/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    });

    it('given no token, when listing, then 401', async () => {
      expect((await api(ctx).get('/api/v1/postponements')).status).toBe(401);
    });
  });
});

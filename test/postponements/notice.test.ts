import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { noticeSteps, reasonCodes } from '../../src/postponements/reasons';
import { insertFlaggedApplication } from '../support/fixtures';
import { api, createTestContext, type TestContext } from '../support/harness';
import { emptyLog, get, post, query, type User } from './support';

/** The PDF's text as poppler's pdftotext reads it (layout kept), whitespace folded. */
function pdfText(pdf: Buffer): { text: string; pages: number } {
  const dir = mkdtempSync(join(tmpdir(), 'saring-notice-'));
  try {
    const file = join(dir, 'notice.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    return { text: text.replace(/\s+/g, ' '), pages: Number(/Pages:\s+(\d+)/.exec(info)![1]) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Page 1 rendered to PNG with pdftoppm, saved in test/screenshots for people to look at. */
function renderFirstPage(pdf: Buffer, name: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'saring-notice-'));
  try {
    writeFileSync(join(dir, 'notice.pdf'), pdf);
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', join(dir, 'notice.pdf'), join(dir, 'page')]);
    mkdirSync('test/screenshots', { recursive: true });
    renameSync(join(dir, 'page.png'), join('test/screenshots', name));
    return readFileSync(join('test/screenshots', name));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("postponements: the applicant's notice and its verification", () => {
  let ctx: TestContext;
  let officer: User;
  let otherOfficer: User;
  beforeAll(async () => {
    ctx = await createTestContext({ NOTICE_VERIFY_RATE_LIMIT: '5' });
    officer = await ctx.userFor('officer', 'TPI-CGK');
    otherOfficer = await ctx.userFor('officer', 'TPI-DPS');
    await query(ctx, "UPDATE offices SET notice_contact = 'Terminal 3, Bandara Soekarno-Hatta; tel. (021) 000-0000' WHERE code = 'TPI-CGK'");
  });
  afterAll(() => ctx.close());
  beforeEach(async () => {
    await query(ctx, 'DELETE FROM postponement_notices');
    await emptyLog(ctx);
  });

  /** A departure postponed at Soekarno-Hatta, approved by a second person (the default). */
  async function approvedPostponement(reasonCode = 'nonprocedural_migrant_worker') {
    const { caseRow } = await insertFlaggedApplication(ctx.database.db, { officeCode: 'TPI-CGK', fullName: 'Siti Rahayu', destinationCountry: 'KH' });
    await post(ctx, officer.token, `/cases/${caseRow!.id}/claim`);
    const decided = await post(ctx, officer.token, `/cases/${caseRow!.id}/decision`, {
      action: 'postpone',
      reasonCode,
      note: 'Tiket dibayar sponsor; belum ada ID PMI.',
      deadline: '2099-01-31',
    });
    expect(decided.body.state).toBe('pending_approval');
    expect((await post(ctx, await ctx.tokenFor('supervisor', 'TPI-CGK'), `/cases/${caseRow!.id}/approval`, { approve: true })).status).toBe(200);
    const [row] = await query<{ id: string }>(ctx, 'SELECT id FROM postponements WHERE case_id = $1', [caseRow!.id]);
    return row!.id;
  }

  const notice = (id: string, lang?: string) =>
    get(ctx, officer.token, `/postponements/${id}/notice.pdf${lang ? `?lang=${lang}` : ''}`)
      .buffer(true)
      .parse((res, callback) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => callback(null, Buffer.concat(chunks)));
      });

  it('given an approved postponement, when its notice is printed, then the PDF says in Bahasa Indonesia the reason, the deadline, the steps, how to ask for a re-review, the contact and a verification code', async () => {
    const id = await approvedPostponement();

    const res = await notice(id);

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const { text, pages } = pdfText(pdf);
    expect(pages).toBeLessThanOrEqual(2);
    expect(text).toContain('PEMBERITAHUAN PENUNDAAN');
    expect(text).toContain('TPI Bandara Soekarno-Hatta');
    expect(text).toContain('Siti Rahayu');
    expect(text).toContain('*****567'); // passport C1234567, masked
    expect(text).not.toContain('C1234567');
    expect(text).toContain('Dokumen untuk bekerja di luar negeri belum lengkap');
    expect(text).toContain('SISKOP2MI');
    expect(text).toContain('Dinas Tenaga Kerja');
    expect(text).toContain('Batas waktu');
    expect(text).toContain('31 Januari 2099');
    expect(text).toContain('Peninjauan ulang');
    expect(text).toContain('meminta peninjauan ulang');
    expect(text).toContain('Terminal 3, Bandara Soekarno-Hatta');
    const [{ code }] = await query<{ code: string }>(ctx, 'SELECT code FROM postponement_notices WHERE postponement_id = $1', [id]) as [{ code: string }];
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{12}$/);
    expect(text).toContain(`${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`);

    const png = renderFirstPage(pdf, '40-postponement-notice-id.png');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });

  it('given lang=en, when the notice is printed twice, then it is in English and both prints carry the same verification code, audited once', async () => {
    const id = await approvedPostponement('suspected_trafficking_victim');

    const first = pdfText((await notice(id, 'en')).body as Buffer).text;
    const second = pdfText((await notice(id, 'en')).body as Buffer).text;

    expect(first).toContain('NOTICE OF POSTPONEMENT');
    expect(first).toContain('You are not considered at fault');
    expect(first).toContain('31 January 2099');
    expect(first).toContain('ask for a re-review');
    const codes = await query<{ code: string }>(ctx, 'SELECT code FROM postponement_notices WHERE postponement_id = $1', [id]);
    expect(codes).toHaveLength(1);
    const printed = `${codes[0]!.code.slice(0, 4)}-${codes[0]!.code.slice(4, 8)}-${codes[0]!.code.slice(8)}`;
    expect(first).toContain(printed);
    expect(second).toContain(printed);
    expect(await query(ctx, "SELECT id FROM audit_log WHERE action = 'postponement.notice_issued' AND target_id = $1", [id])).toHaveLength(1);
    renderFirstPage((await notice(id, 'en')).body as Buffer, '41-postponement-notice-en.png');
  });

  it('given a postponement in another office, when its notice is asked for, then 404 and no code is minted', async () => {
    const id = await approvedPostponement();
    const res = await get(ctx, otherOfficer.token, `/postponements/${id}/notice.pdf`);
    expect(res.status).toBe(404);
    expect(await query(ctx, 'SELECT code FROM postponement_notices')).toHaveLength(0);
  });

  it('given a printed notice, when anyone checks its code without signing in, then it is confirmed genuine with no personal data; a mistyped code is 404; too many checks are 429', async () => {
    const id = await approvedPostponement();
    await notice(id);
    const [{ code }] = (await query<{ code: string }>(ctx, 'SELECT code FROM postponement_notices WHERE postponement_id = $1', [id])) as [{ code: string }];

    const typed = `${code.slice(0, 4).toLowerCase()}-${code.slice(4, 8)} ${code.slice(8)}`;
    const res = await api(ctx).get(`/api/v1/notices/${encodeURIComponent(typed)}`);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ genuine: true, office: { code: 'TPI-CGK', name: 'TPI Bandara Soekarno-Hatta' }, kind: 'departure', deadline: '2099-01-31', status: 'in_force' });
    const body = JSON.stringify(res.body);
    for (const personal of ['Siti', 'Rahayu', 'C1234567', '567', 'sponsor', 'nonprocedural', id]) expect(body).not.toContain(personal);

    const wrong = code.slice(0, 11) + (code[11] === 'Z' ? 'Y' : 'Z');
    expect((await api(ctx).get(`/api/v1/notices/${wrong}`)).status).toBe(404);
    expect((await api(ctx).get('/api/v1/notices/short')).status).toBe(400);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await api(ctx).get(`/api/v1/notices/${code}`)).status);
    expect(statuses).toContain(429);
  });

  it('given every postponement reason, when its notice wording is read, then it is in both languages and never calls the applicant a perpetrator, suspect or offender', () => {
    const forbidden = /\b(pelaku|tersangka|terduga|pelanggar|kriminal|ilegal|perpetrator|suspect|suspected|offender|criminal|illegal)\b/i;
    const postponing = reasonCodes.filter((r) => (r.actions as readonly string[]).includes('postpone'));
    expect(postponing.length).toBeGreaterThan(0);
    for (const reason of postponing) {
      const wording = (reason as { notice?: { id: string; en: string } }).notice;
      expect(wording?.id).toBeTruthy();
      expect(wording?.en).toBeTruthy();
      expect(wording!.id).not.toMatch(forbidden);
      expect(wording!.en).not.toMatch(forbidden);
    }
    for (const step of Object.values(noticeSteps)) {
      expect(step.id).not.toMatch(forbidden);
      expect(step.en).not.toMatch(forbidden);
    }
  });
});

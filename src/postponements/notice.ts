import { randomBytes } from 'node:crypto';
import { and, desc, eq, inArray, ne } from 'drizzle-orm';
import PDFDocument from 'pdfkit';
import type { RootDatabase } from '../db/client';
import { recordAudit } from '../audit/service';
import type { Principal } from '../auth/tokens';
import { applications } from '../applications/schema';
import { notFound } from '../errors';
import { offices } from '../offices/schema';
import { cases } from '../review/schema';
import { followUpOutcomeLabels } from './outcomes';
import { noticeWording } from './reasons';
import { postponementFollowUps, postponementNotices, postponements } from './schema';

export type NoticeLanguage = 'id' | 'en';

/**
 * Verification codes: 12 characters of Crockford base32 (60 random bits), printed as XXXX-XXXX-XXXX.
 * Guessing one among even a million issued notices takes about 10^12 tries, and the public check is
 * rate-limited, so the codes cannot be enumerated.
 */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 12;

export function newVerificationCode(): string {
  const bytes = randomBytes(CODE_LENGTH);
  let code = '';
  for (const byte of bytes) code += CROCKFORD[byte & 31];
  return code;
}

/** A code as typed by a person: case, dashes and spaces ignored; I/L read as 1 and O as 0 (Crockford). */
export function normaliseVerificationCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  return code.length === CODE_LENGTH && [...code].every((c) => CROCKFORD.includes(c)) ? code : null;
}

export const formatVerificationCode = (code: string) => code.match(/.{4}/g)!.join('-');

/** Keeps the last three characters of a document number; the rest become asterisks. */
export function maskDocumentNumber(value: string | null | undefined): string | null {
  if (!value) return null;
  const kept = Math.min(3, Math.max(0, value.length - 4));
  return '*'.repeat(value.length - kept) + value.slice(value.length - kept);
}

const longDate = (day: string | Date, lang: NoticeLanguage, timeZone: string) =>
  new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', { dateStyle: 'long', timeZone: typeof day === 'string' ? 'UTC' : timeZone }).format(
    typeof day === 'string' ? new Date(`${day}T00:00:00Z`) : day,
  );

export interface NoticeContent {
  postponementId: string;
  code: string;
  kind: 'departure' | 'passport_issuance';
  office: { code: string; name: string; contact: string | null; timezone: string };
  decidedAt: Date;
  deadline: string | null;
  applicantName: string | null;
  documentLabel: 'passport' | 'nik' | null;
  maskedDocument: string | null;
  reasonCode: string;
  note: string;
}

/**
 * The notice's data, minting its verification code on first print (reprints keep the code). Only
 * staff who may see the postponement get it; the first issue is audited.
 */
export async function noticeFor(db: RootDatabase, postponementId: string, scope: string | null, actor: Principal, requestId: string): Promise<NoticeContent> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ p: postponements, office: offices, fullName: applications.fullName, passportNumber: applications.passportNumber, nik: applications.nik })
      .from(postponements)
      .innerJoin(offices, eq(offices.code, postponements.officeCode))
      .leftJoin(applications, eq(applications.id, postponements.applicationId))
      .where(and(eq(postponements.id, postponementId), scope === null ? undefined : eq(postponements.officeCode, scope)))
      .limit(1);
    if (!row) throw notFound('Postponement');
    let [notice] = await tx.select().from(postponementNotices).where(eq(postponementNotices.postponementId, row.p.id)).limit(1);
    if (!notice) {
      [notice] = await tx
        .insert(postponementNotices)
        .values({ code: newVerificationCode(), postponementId: row.p.id, issuedBy: actor.userId })
        .onConflictDoNothing({ target: postponementNotices.postponementId })
        .returning();
      if (notice) {
        await recordAudit(tx, { actor, action: 'postponement.notice_issued', targetType: 'postponement', targetId: row.p.id, after: { noticeIssued: true }, requestId });
      } else {
        // Printed twice at the same instant: the other print minted the code.
        [notice] = await tx.select().from(postponementNotices).where(eq(postponementNotices.postponementId, row.p.id)).limit(1);
      }
    }
    const document = row.passportNumber ? 'passport' : row.nik ? 'nik' : null;
    return {
      postponementId: row.p.id,
      code: notice!.code,
      kind: row.p.kind,
      office: { code: row.office.code, name: row.office.name, contact: row.office.noticeContact, timezone: row.office.timezone },
      decidedAt: row.p.approvedAt ?? row.p.decidedAt,
      deadline: row.p.deadline,
      applicantName: row.fullName ?? null,
      documentLabel: document,
      maskedDocument: maskDocumentNumber(row.passportNumber ?? row.nik),
      reasonCode: row.p.reasonCode,
      note: row.p.note,
    };
  });
}

/** The notice's words in one language. Kept apart from the drawing so tests and reviewers can read them. */
export function noticeText(content: NoticeContent, lang: NoticeLanguage) {
  const t = <T>(id: T, en: T) => (lang === 'id' ? id : en);
  const wording = noticeWording(content.reasonCode);
  const what = content.kind === 'departure' ? t('keberangkatan Anda', 'your departure') : t('penerbitan paspor Anda', 'the issue of your passport');
  const deadline = content.deadline ? longDate(content.deadline, lang, content.office.timezone) : null;
  const reference = content.postponementId.slice(0, 8).toUpperCase();
  return {
    title: t('PEMBERITAHUAN PENUNDAAN', 'NOTICE OF POSTPONEMENT'),
    subtitle: content.kind === 'departure' ? t('Penundaan keberangkatan', 'Postponed departure') : t('Penundaan penerbitan paspor', 'Postponed passport issuance'),
    facts: [
      [t('Kantor', 'Office'), content.office.name],
      [t('Tanggal', 'Date'), longDate(content.decidedAt, lang, content.office.timezone)],
      [t('Nama', 'Name'), content.applicantName ?? t('(tidak tercatat)', '(not recorded)')],
      [
        content.documentLabel === 'nik' ? t('NIK', 'National ID number (NIK)') : t('Nomor paspor', 'Passport number'),
        content.maskedDocument ?? t('(tidak tercatat)', '(not recorded)'),
      ],
      [t('Nomor rujukan', 'Reference'), reference],
    ] as Array<[string, string]>,
    opening: t(
      `Dengan ini kami memberitahukan bahwa ${what} ditunda. Penundaan bukan penolakan dan bukan hukuman: Anda dapat melanjutkan setelah hal di bawah ini dipenuhi.`,
      `We inform you that ${what} has been postponed. A postponement is not a refusal and not a penalty: you may go ahead once the points below are met.`,
    ),
    reasonHeading: t('Alasan', 'Reason'),
    reason: wording?.reason[lang] ?? '',
    noteHeading: t('Catatan petugas', "Officer's note"),
    note: content.note,
    stepsHeading: t('Yang dapat Anda lakukan', 'What you can do'),
    steps: (wording?.steps ?? []).map((step) => step[lang]),
    deadlineHeading: t('Batas waktu', 'Deadline'),
    deadline: deadline
      ? t(
          `Anda dapat melengkapi dokumen dan datang kembali sampai dengan ${deadline}. Setelah tanggal itu, ajukan permohonan baru.`,
          `You may complete the documents and come back until ${deadline}. After that date, make a new application.`,
        )
      : t('Tidak ada batas waktu yang ditetapkan.', 'No deadline was set.'),
    reReviewHeading: t('Peninjauan ulang dan keberatan', 'Re-review and objection'),
    reReview: t(
      `Jika Anda sudah melengkapi dokumen, atau tidak setuju dengan penundaan ini, Anda berhak meminta peninjauan ulang. Datang ke ${content.office.name} sebelum batas waktu dengan membawa pemberitahuan ini (nomor rujukan ${reference}); petugas lain akan meninjau ulang keputusan ini dan memberi tahu hasilnya: penundaan dicabut atau dipertahankan, dengan alasannya. Keputusan ini diambil oleh petugas, bukan oleh mesin saja (UU 27/2022 tentang Pelindungan Data Pribadi).`,
      `If you have completed the documents, or you disagree with this postponement, you have the right to ask for a re-review. Come to ${content.office.name} before the deadline with this notice (reference ${reference}); another officer will review the decision and tell you the outcome: the postponement lifted or upheld, with the reason. This decision was taken by an officer, not by a machine alone (Law 27/2022 on Personal Data Protection).`,
    ),
    contactHeading: t('Kontak kantor', 'Office contact'),
    contact: content.office.contact ?? t(`Datang langsung ke ${content.office.name}.`, `Come in person to ${content.office.name}.`),
    verifyHeading: t('Kode verifikasi', 'Verification code'),
    verify: t(
      `Keaslian pemberitahuan ini dapat diperiksa dengan kode ${formatVerificationCode(content.code)} di /api/v1/notices/${content.code} (tanpa data pribadi).`,
      `Anyone can check that this notice is genuine with code ${formatVerificationCode(content.code)} at /api/v1/notices/${content.code} (no personal data is shown).`,
    ),
    code: formatVerificationCode(content.code),
  };
}

/**
 * Draws the notice on A4 with PDFKit's built-in Helvetica (a standard PDF font: nothing to download
 * or embed) and returns the finished file.
 */
export function renderNoticePdf(content: NoticeContent, lang: NoticeLanguage): Promise<Buffer> {
  const text = noticeText(content, lang);
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: text.title, Subject: text.subtitle, Creator: 'Saring' }, lang: lang === 'id' ? 'id-ID' : 'en-GB' });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const heading = (words: string) => doc.moveDown(0.8).font('Helvetica-Bold').fontSize(11).text(words).moveDown(0.2).font('Helvetica').fontSize(10);

  doc.font('Helvetica').fontSize(9).fillColor('#444').text(lang === 'id' ? 'Direktorat Jenderal Imigrasi - Republik Indonesia' : 'Directorate General of Immigration - Republic of Indonesia');
  doc.moveDown(0.5).fillColor('black').font('Helvetica-Bold').fontSize(16).text(text.title).font('Helvetica').fontSize(11).text(text.subtitle);
  doc.moveDown(0.8).fontSize(10);
  for (const [label, value] of text.facts) doc.font('Helvetica-Bold').text(`${label}: `, { continued: true }).font('Helvetica').text(value);
  doc.moveDown(0.6).text(text.opening);
  heading(text.reasonHeading).text(text.reason);
  heading(text.noteHeading).text(text.note);
  heading(text.stepsHeading).list(text.steps, { bulletRadius: 1.5, textIndent: 10, paragraphGap: 2 });
  heading(text.deadlineHeading).text(text.deadline);
  heading(text.reReviewHeading).text(text.reReview);
  heading(text.contactHeading).text(text.contact);
  heading(text.verifyHeading).font('Courier-Bold').fontSize(14).text(text.code).font('Helvetica').fontSize(9).text(text.verify);
  doc.end();
  return done;
}

/**
 * What the public check shows about a notice: that it is genuine, where and when it was issued and
 * where the postponement stands. Never the person, the document or the reason.
 */
export async function verifyNotice(db: RootDatabase, code: string) {
  const [row] = await db
    .select({
      issuedAt: postponementNotices.issuedAt,
      postponementId: postponements.id,
      kind: postponements.kind,
      deadline: postponements.deadline,
      officeCode: offices.code,
      officeName: offices.name,
      openReReview: cases.id,
    })
    .from(postponementNotices)
    .innerJoin(postponements, eq(postponements.id, postponementNotices.postponementId))
    .innerJoin(offices, eq(offices.code, postponements.officeCode))
    .leftJoin(cases, and(eq(cases.postponementId, postponements.id), ne(cases.state, 'decided')))
    .where(eq(postponementNotices.code, code))
    .limit(1);
  if (!row) return null;
  const [latest] = await db
    .select({ outcome: postponementFollowUps.outcome })
    .from(postponementFollowUps)
    .where(and(eq(postponementFollowUps.postponementId, row.postponementId), inArray(postponementFollowUps.outcome, ['lifted', 'upheld'])))
    .orderBy(desc(postponementFollowUps.recordedAt), desc(postponementFollowUps.id))
    .limit(1);
  const status = latest?.outcome === 'lifted' ? 'lifted' : row.openReReview ? 're_review_open' : latest?.outcome === 'upheld' ? 'upheld' : 'in_force';
  return {
    genuine: true as const,
    code: formatVerificationCode(code),
    issuedAt: row.issuedAt.toISOString(),
    office: { code: row.officeCode, name: row.officeName },
    kind: row.kind,
    deadline: row.deadline,
    status,
    statusLabel: noticeStatusLabels[status],
  };
}

export const noticeStatusLabels = {
  in_force: { id: 'Penundaan berlaku', en: 'Postponement in force' },
  re_review_open: { id: 'Sedang ditinjau ulang', en: 'Under re-review' },
  lifted: { id: followUpOutcomeLabels.lifted.id, en: followUpOutcomeLabels.lifted.en },
  upheld: { id: followUpOutcomeLabels.upheld.id, en: followUpOutcomeLabels.upheld.en },
} as const;

/**
 * `history: { of, withinDays, match, atOtherOffice?, kind?, differentNik?, nikDiffersInAtMost?, atLeast? }`: at least
 * `atLeast` (default 1) earlier records of the same person (applications, postponements, referrals,
 * clearances) at most `withinDays` before this application's receipt, tied to it by the NIK, the
 * passport number or the normalised name with the date of birth; optionally only at another office,
 * only of one application kind, or only under another NIK (differing in at most so many digits). Resolved into the context before
 * evaluation (src/persons/history.ts), as of the receipt time.
 */
import { z } from 'zod';
import { historyRecordKinds, personMatches, type HistoryRecord, type ScreeningContext } from '../../subject';
import type { State } from './kit';
import { defineOperator } from './operator';

export const historyOperator = defineOperator({
  key: 'history',
  schema: z.strictObject({
    of: z.enum(historyRecordKinds),
    withinDays: z.int().min(1).max(3660),
    match: z.enum(personMatches),
    atOtherOffice: z.boolean().optional(),
    kind: z.enum(['departure', 'passport']).optional(),
    differentNik: z.boolean().optional(),
    /** Only applications whose NIK differs from this one's in at most so many of its 16 digits (an altered or mistyped NIK). */
    nikDiffersInAtMost: z.int().min(1).max(16).optional(),
    atLeast: z.int().min(1).max(100).optional(),
  }),
  compile({ of, withinDays, match, atOtherOffice, kind, differentNik, nikDiffersInAtMost, atLeast = 1 }) {
    const key = `history:${of}:${match}`;
    const accepts = (r: HistoryRecord) =>
      r.of === of &&
      r.daysAgo <= withinDays &&
      r.matchedBy.includes(match) &&
      (!atOtherOffice || r.atOtherOffice) &&
      (kind === undefined || r.kind === kind) &&
      (!differentNik || !r.sameNik) &&
      (nikDiffersInAtMost === undefined || r.nikDigitsDifferent <= nikDiffersInAtMost);
    const found = (s: State): HistoryRecord[] => ((s.context as ScreeningContext | undefined)?.history ?? []).filter(accepts);
    return {
      test: (s) => found(s).length >= atLeast,
      explain(s, _outcome, evidence) {
        evidence[key] = {
          withinDays,
          ...(atOtherOffice ? { atOtherOffice } : {}),
          ...(kind ? { kind } : {}),
          ...(differentNik ? { differentNik } : {}),
          ...(nikDiffersInAtMost !== undefined ? { nikDiffersInAtMost } : {}),
          records: found(s).map((r) => ({
            of: r.of,
            applicationId: r.applicationId,
            kind: r.kind,
            officeCode: r.officeCode,
            at: r.at,
            daysAgo: r.daysAgo,
            outcome: r.outcome,
            reasonCode: r.reasonCode,
            ...(differentNik || !r.sameNik ? { sameNik: r.sameNik, nikDigitsDifferent: r.nikDigitsDifferent } : {}),
          })),
        };
      },
    };
  },
  requirements({ match }, sink) {
    sink.history(match);
  },
});

/**
 * `subjectOfInterest: { match? }`: the person is on the subject-of-interest list with a bar in force
 * at this application's receipt, found by NIK, passport number or name with date of birth (`match`,
 * default all three). Resolved into the context before evaluation (src/subjects/matching.ts).
 */
import { z } from 'zod';
import { personMatches, type ScreeningContext, type SubjectOfInterestHit } from '../../subject';
import type { State } from './kit';
import { defineOperator } from './operator';

export const subjectOfInterestOperator = defineOperator({
  key: 'subjectOfInterest',
  schema: z.strictObject({ match: z.array(z.enum(personMatches)).min(1).optional() }),
  compile({ match }) {
    const matches = new Set(match ?? personMatches);
    const found = (s: State): SubjectOfInterestHit[] => ((s.context as ScreeningContext | undefined)?.subjectsOfInterest ?? []).filter((e) => matches.has(e.matchedBy));
    return {
      test: (s) => found(s).length > 0,
      explain(s, _outcome, evidence) {
        // An entry found by several keys is cited once, by the first (nik, passport, nameDob).
        const seen = new Set<string>();
        evidence.subjectOfInterest = found(s)
          .filter(({ entryId }) => {
            if (seen.has(entryId)) return false;
            seen.add(entryId);
            return true;
          })
          .map(({ entryId, matchedBy, reason, source, barFrom, barUntil, officeCode }) => ({ entryId, matchedBy, reason, source, barFrom, barUntil, officeCode }));
      },
    };
  },
  requirements({ match }, sink) {
    sink.subjectOfInterest(match ?? personMatches);
  },
});

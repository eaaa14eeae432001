import { fieldProblems, type FieldProblem } from '../errors';
import { storableInput } from '../http/storable-text';
import type { Intake } from '../applications/service';
import { applicationSchemas, checkConsistency, type ApplicationKind } from '../screening/application-schema';

export type RowValidation = { ok: true; intake: Intake } | { ok: false; problems: FieldProblem[] };

/** Consistency messages start with the field they are about ("trip.returnDate … is before …"). */
const leadingPath = /^([A-Za-z]+(?:\.[A-Za-z]+)+)\s/;

/**
 * Validates one row exactly as a single request is validated: the same zod schema (and so the same
 * normalisation), then the same consistency checks. Problems carry field paths.
 */
export function validateRow(kind: ApplicationKind, value: unknown): RowValidation {
  // The edge's storable-text check, as for a single request: a row is stored as jsonb, which holds no NUL.
  const storable = storableInput.safeParse(value);
  if (!storable.success) return { ok: false, problems: fieldProblems(storable.error) };
  const parsed = applicationSchemas[kind].safeParse(value);
  if (!parsed.success) return { ok: false, problems: fieldProblems(parsed.error) };
  const messages = checkConsistency(kind, parsed.data);
  if (messages.length > 0) {
    return {
      ok: false,
      problems: messages.map((message) => ({ path: leadingPath.exec(message)?.[1] ?? '(row)', message, code: 'inconsistent' })),
    };
  }
  return { ok: true, intake: { kind, data: parsed.data } as Intake };
}

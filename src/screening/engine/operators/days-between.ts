/** `daysBetween: { from, to, gt | gte | lt | lte }`: calendar days from one date field to another. */
import { z } from 'zod';
import { compileGetter, isRecord, leaf, resolveField, unknownKeys } from './kit';
import { defineOperator } from './operator';
import { textFields } from './text-field';

const bounds = ['gt', 'gte', 'lt', 'lte'] as const;

const schema = z
  .strictObject({
    from: z.string().min(1),
    to: z.string().min(1),
    gt: z.int().optional(),
    gte: z.int().optional(),
    lt: z.int().optional(),
    lte: z.int().optional(),
  })
  .refine((b) => bounds.filter((op) => b[op] !== undefined).length === 1, 'daysBetween needs exactly one of gt, gte, lt, lte');

/** Calendar day number of a YYYY-MM-DD or of the date written in an ISO date-time. */
function epochDay(value: string): number {
  return Date.UTC(Number(value.slice(0, 4)), Number(value.slice(5, 7)) - 1, Number(value.slice(8, 10))) / 86_400_000;
}

export const daysBetweenOperator = defineOperator({
  key: 'daysBetween',
  schema,
  check(body, path, env) {
    if (!isRecord(body)) {
      env.report(path, 'daysBetween needs an object');
      return { protectedAlone: false };
    }
    const fields = textFields('daysBetween', env);
    const ops = bounds.filter((op) => op in body);
    unknownKeys(body, ['from', 'to', ...bounds], path, env, 'daysBetween');
    for (const end of ['from', 'to'] as const) {
      const info = resolveField(body[end], [...path, end], env);
      if (info && info.tag !== 'date' && info.tag !== 'datetime') env.report([...path, end], `daysBetween needs date fields; ${info.path} is not a date`);
      fields.add(body[end]);
    }
    if (ops.length !== 1) env.report(path, 'daysBetween needs exactly one of gt, gte, lt, lte');
    else if (!Number.isInteger(body[ops[0]!])) env.report([...path, ops[0]!], 'daysBetween bound must be a whole number of days');
    return fields.analysis();
  },
  compile({ from, to, gt, gte, lt, lte }) {
    const getFrom = compileGetter(from);
    const getTo = compileGetter(to);
    const within =
      gt !== undefined ? (d: number) => d > gt : gte !== undefined ? (d: number) => d >= gte : lt !== undefined ? (d: number) => d < lt : (d: number) => d <= lte!;
    return leaf([from, to], [getFrom, getTo], (s) => {
      const a = getFrom(s);
      const b = getTo(s);
      if (typeof a !== 'string' || typeof b !== 'string') return false;
      return within(epochDay(b) - epochDay(a));
    });
  },
});

/**
 * `{ field, <op>: operand }` with exactly one of eq, ne, gt, gte, lt, lte, in, notIn, exists, missing:
 * a comparison on one application (or derived) field. Written inline, so its body is the condition.
 */
import { z } from 'zod';
import { isProtectedField } from '../../field-paths';
import type { Scalar } from '../rule-set';
import { checkListMembers, compileGetter, isRecord, leaf, listTypesFor, operandProblem, present, resolveField, resolveList, unknownKeys, type Node } from './kit';
import { defineOperator } from './operator';

const comparisonOps = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte'] as const;
export const fieldOps = [...comparisonOps, 'in', 'notIn', 'exists', 'missing'] as const;

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const operand = z.union([z.array(scalar).min(1), z.strictObject({ list: z.string() })]);
const schema = z
  .strictObject({
    field: z.string().min(1),
    eq: scalar.optional(),
    ne: scalar.optional(),
    gt: z.number().optional(),
    gte: z.number().optional(),
    lt: z.number().optional(),
    lte: z.number().optional(),
    in: operand.optional(),
    notIn: operand.optional(),
    exists: z.literal(true).optional(),
    missing: z.literal(true).optional(),
  })
  .refine((c) => fieldOps.filter((op) => c[op] !== undefined).length === 1, `a field condition needs exactly one operator (${fieldOps.join(', ')})`);

export const fieldOperator = defineOperator({
  key: 'field',
  inline: true,
  synopsis: 'field (with eq/ne/gt/gte/lt/lte/in/notIn/exists/missing)',
  schema,
  check(raw, path, env) {
    if (!isRecord(raw)) return { protectedAlone: false };
    unknownKeys(raw, ['field', ...fieldOps], path, env, 'a field condition');
    const ops = fieldOps.filter((op) => op in raw);
    const field = resolveField(raw.field, [...path, 'field'], env);
    const analysis = { protectedAlone: typeof raw.field === 'string' && isProtectedField(raw.field) };
    if (ops.length !== 1) {
      env.report(path, `a field condition needs exactly one operator (${fieldOps.join(', ')}); found ${ops.length === 0 ? 'none' : ops.join(', ')}`);
      return analysis;
    }
    const op = ops[0]!;
    const operand = raw[op];
    const operandPath = [...path, op];
    if (!field) return analysis;
    switch (op) {
      case 'eq':
      case 'ne': {
        const problem = operandProblem(field, operand);
        if (problem) env.report(operandPath, problem);
        break;
      }
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
        if (field.type !== 'number') env.report(operandPath, `${op} needs a number field; ${field.path} is ${field.tag ?? field.type}${field.tag === 'date' || field.tag === 'datetime' ? ' (use daysBetween)' : ''}`);
        else if (typeof operand !== 'number' || !Number.isFinite(operand)) env.report(operandPath, `${op} needs a number operand; got ${JSON.stringify(operand)}`);
        break;
      case 'in':
      case 'notIn':
        if (field.type === 'string[]') {
          env.report(operandPath, `${field.path} is a list; use anyIn`);
        } else if (isRecord(operand)) {
          unknownKeys(operand, ['list'], operandPath, env, `${op}`);
          const list = resolveList(operand.list, [...operandPath, 'list'], env, listTypesFor(field));
          if (list) checkListMembers(field, list, operand.list as string, [...operandPath, 'list'], env);
        } else if (Array.isArray(operand) && operand.length > 0) {
          operand.forEach((item, index) => {
            const problem = operandProblem(field, item);
            if (problem) env.report([...operandPath, index], problem);
          });
        } else {
          env.report(operandPath, `${op} needs a non-empty array of values or { list: name }`);
        }
        break;
      case 'exists':
      case 'missing':
        if (operand !== true) env.report(operandPath, `${op} takes the value true`);
        break;
    }
    return analysis;
  },
  compile(cond, { lists }): Node {
    const path = cond.field;
    const get = compileGetter(path);
    const one = (test: (v: unknown) => boolean) => leaf([path], [get], (s) => test(get(s)));
    const setOf = (operand: Scalar[] | { list: string }): ReadonlySet<Scalar> =>
      new Set(Array.isArray(operand) ? operand : (lists[operand.list]?.items ?? []));
    if (cond.eq !== undefined) {
      const x = cond.eq;
      return one((v) => v === x);
    }
    if (cond.ne !== undefined) {
      const x = cond.ne;
      return one((v) => v !== x);
    }
    if (cond.gt !== undefined) {
      const x = cond.gt;
      return one((v) => typeof v === 'number' && v > x);
    }
    if (cond.gte !== undefined) {
      const x = cond.gte;
      return one((v) => typeof v === 'number' && v >= x);
    }
    if (cond.lt !== undefined) {
      const x = cond.lt;
      return one((v) => typeof v === 'number' && v < x);
    }
    if (cond.lte !== undefined) {
      const x = cond.lte;
      return one((v) => typeof v === 'number' && v <= x);
    }
    if (cond.in !== undefined) {
      const set = setOf(cond.in);
      return one((v) => set.has(v as Scalar));
    }
    if (cond.notIn !== undefined) {
      const set = setOf(cond.notIn);
      return one((v) => !set.has(v as Scalar));
    }
    if (cond.exists) return one(present);
    if (cond.missing) return one((v) => !present(v));
    throw new Error(`field condition on ${path} has no operator`);
  },
});

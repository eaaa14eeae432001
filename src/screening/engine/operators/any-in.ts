/** `anyIn: { field, list | values }`: a list field (e.g. transit countries) holds one of the values. */
import { z } from 'zod';
import { checkListMembers, compileGetter, isRecord, leaf, listTypesFor, operandProblem, resolveField, resolveList, unknownKeys } from './kit';
import { defineOperator } from './operator';
import { textFields } from './text-field';

const schema = z.union([
  z.strictObject({ field: z.string().min(1), list: z.string(), values: z.undefined().optional() }),
  z.strictObject({ field: z.string().min(1), values: z.array(z.string()).min(1), list: z.undefined().optional() }),
]);

export const anyInOperator = defineOperator({
  key: 'anyIn',
  schema,
  check(body, path, env) {
    if (!isRecord(body)) {
      env.report(path, 'anyIn needs an object');
      return { protectedAlone: false };
    }
    const fields = textFields('anyIn', env);
    unknownKeys(body, ['field', 'list', 'values'], path, env, 'anyIn');
    const info = resolveField(body.field, [...path, 'field'], env);
    fields.add(body.field);
    if (info && info.type !== 'string[]') env.report([...path, 'field'], `anyIn needs a list field; ${info.path} is ${info.type} (use in)`);
    if (('list' in body) === ('values' in body)) env.report(path, 'anyIn needs exactly one of list or values');
    else if ('list' in body) {
      const list = info ? resolveList(body.list, [...path, 'list'], env, listTypesFor(info)) : null;
      if (list && info) checkListMembers(info, list, body.list as string, [...path, 'list'], env);
    } else if (!Array.isArray(body.values) || body.values.length === 0) env.report([...path, 'values'], 'values must be a non-empty array');
    else if (info)
      body.values.forEach((v, i) => {
        const problem = operandProblem({ ...info, type: 'string' }, v);
        if (problem) env.report([...path, 'values', i], problem);
      });
    return fields.analysis();
  },
  compile({ field, list, values }, { lists }) {
    const set = new Set(values ?? lists[list ?? '']?.items ?? []);
    const get = compileGetter(field);
    return leaf([field], [get], (s) => {
      const value = get(s);
      return Array.isArray(value) && value.some((v) => set.has(v as string));
    });
  },
});

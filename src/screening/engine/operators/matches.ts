/** `matches: { field, pattern, flags? }`: the text matches a regular expression (checked for catastrophic backtracking). */
import safeRegex from 'safe-regex2';
import { z } from 'zod';
import { compileGetter, isRecord, leaf, unknownKeys } from './kit';
import { defineOperator } from './operator';
import { textFields } from './text-field';

export const matchesOperator = defineOperator({
  key: 'matches',
  schema: z.strictObject({ field: z.string().min(1), pattern: z.string().min(1), flags: z.string().regex(/^[imsu]*$/).optional() }),
  check(body, path, env) {
    if (!isRecord(body)) {
      env.report(path, 'matches needs an object');
      return { protectedAlone: false };
    }
    const fields = textFields('matches', env);
    unknownKeys(body, ['field', 'pattern', 'flags'], path, env, 'matches');
    fields.check(body.field, [...path, 'field']);
    const flags = body.flags ?? '';
    if (typeof flags !== 'string' || !/^[imsu]*$/.test(flags)) env.report([...path, 'flags'], 'flags may only contain i, m, s, u');
    if (typeof body.pattern !== 'string' || body.pattern.length === 0) env.report([...path, 'pattern'], 'pattern must be a non-empty regular expression');
    else {
      let ok = true;
      try {
        new RegExp(body.pattern, typeof flags === 'string' && /^[imsu]*$/.test(flags) ? flags : '');
      } catch (error) {
        ok = false;
        env.report([...path, 'pattern'], `invalid regular expression: ${(error as Error).message}`);
      }
      if (ok && !safeRegex(body.pattern)) env.report([...path, 'pattern'], `unsafe regular expression (catastrophic backtracking): ${body.pattern}`);
    }
    return fields.analysis();
  },
  compile({ field, pattern, flags }) {
    const get = compileGetter(field);
    const regex = new RegExp(pattern, (flags ?? '').replace(/[gy]/g, ''));
    return leaf([field], [get], (s) => {
      const value = get(s);
      return typeof value === 'string' && regex.test(value);
    });
  },
});

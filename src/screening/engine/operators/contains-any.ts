/** `containsAny: { field (one or several), list | keywords }`: the text contains one of the keywords. */
import { z } from 'zod';
import { compileKeywordMatcher, normaliseText } from '../text';
import { compileGetter, evidenceValue, isRecord, resolveList, unknownKeys, type State } from './kit';
import { defineOperator } from './operator';
import { textFields } from './text-field';

const schema = z.union([
  z.strictObject({ field: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]), list: z.string(), keywords: z.undefined().optional() }),
  z.strictObject({ field: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]), keywords: z.array(z.string()).min(1), list: z.undefined().optional() }),
]);

export const containsAnyOperator = defineOperator({
  key: 'containsAny',
  schema,
  check(body, path, env) {
    if (!isRecord(body)) {
      env.report(path, 'containsAny needs an object');
      return { protectedAlone: false };
    }
    const fields = textFields('containsAny', env);
    unknownKeys(body, ['field', 'list', 'keywords'], path, env, 'containsAny');
    if (Array.isArray(body.field)) {
      if (body.field.length === 0) env.report([...path, 'field'], 'containsAny needs at least one field');
      body.field.forEach((f, i) => fields.check(f, [...path, 'field', i]));
    } else fields.check(body.field, [...path, 'field']);
    if (('list' in body) === ('keywords' in body)) env.report(path, 'containsAny needs exactly one of list or keywords');
    else if ('list' in body) resolveList(body.list, [...path, 'list'], env, ['keywords']);
    else if (!Array.isArray(body.keywords) || body.keywords.length === 0) env.report([...path, 'keywords'], 'keywords must be a non-empty array of text');
    else
      body.keywords.forEach((k, i) => {
        if (typeof k !== 'string' || normaliseText(k) === '') env.report([...path, 'keywords', i], `keyword ${JSON.stringify(k)} is empty or not text`);
      });
    return fields.analysis();
  },
  compile(body, { lists }) {
    const paths = Array.isArray(body.field) ? body.field : [body.field];
    const getters = paths.map(compileGetter);
    const matcher = compileKeywordMatcher(body.keywords ?? lists[body.list ?? '']?.items ?? []);
    const normalised = (s: State, i: number): string | undefined => {
      const value = getters[i]!(s);
      if (typeof value !== 'string') return undefined;
      const path = paths[i]!;
      s.norm ??= new Map();
      let text = s.norm.get(path);
      if (text === undefined) {
        text = normaliseText(value);
        s.norm.set(path, text);
      }
      return text;
    };
    return {
      test(s) {
        for (let i = 0; i < paths.length; i++) {
          const text = normalised(s, i);
          if (text !== undefined && matcher.find(text).length > 0) return true;
        }
        return false;
      },
      explain(s, outcome, evidence) {
        for (let i = 0; i < paths.length; i++) {
          const text = normalised(s, i);
          const found = text === undefined ? [] : matcher.find(text);
          if (!outcome) evidence[paths[i]!] = evidenceValue(getters[i]!(s));
          else if (found.length > 0) evidence[paths[i]!] = found;
        }
      },
    };
  },
});

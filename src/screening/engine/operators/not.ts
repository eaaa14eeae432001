/** `not: condition`: the nested condition does not hold. */
import { z } from 'zod';
import { defineOperator } from './operator';

export const notOperator = defineOperator({
  key: 'not',
  schema: z.unknown(),
  check: (body, path, env) => env.condition(body, path),
  compile(body, env) {
    const child = env.condition(body);
    return { test: (s) => !child.test(s), explain: (s, outcome, evidence) => child.explain(s, !outcome, evidence) };
  },
  requirements: (body, sink) => sink.condition(body),
});

/** `all: [conditions]`: every nested condition holds. */
import { z } from 'zod';
import { defineOperator } from './operator';

export const allOperator = defineOperator({
  key: 'all',
  schema: z.array(z.unknown()).min(1),
  check(body, path, env) {
    if (!Array.isArray(body) || body.length === 0) {
      env.report(path, 'all needs a non-empty list of conditions');
      return { protectedAlone: false };
    }
    const children = body.map((child, index) => env.condition(child, [...path, index]));
    return { protectedAlone: children.every((c) => c.protectedAlone) };
  },
  compile(body, env) {
    const children = body.map((c) => env.condition(c));
    return {
      test: (s) => children.every((c) => c.test(s)),
      explain(s, outcome, evidence) {
        // true: every child contributed; false: the failing children did.
        for (const child of children) if (outcome || !child.test(s)) child.explain(s, outcome, evidence);
      },
    };
  },
  requirements(body, sink) {
    for (const child of body) sink.condition(child);
  },
});

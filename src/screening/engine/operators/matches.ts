/**
 * `matches: { field, pattern, flags? }`: the text matches a regular expression.
 *
 * Patterns come from uploaded rule sets, so they run on RE2 (re2js, a pure JavaScript port): matching
 * takes time linear in the text whatever the pattern, where a backtracking engine (RegExp) can take
 * exponential time on patterns such as `^(a|a)+$`. RE2 has no backreferences and no lookaround; a
 * pattern using them is refused when the rule set is loaded, with its file and line.
 */
import { RE2JS } from 're2js';
import { z } from 'zod';
import { compileGetter, isRecord, leaf, unknownKeys } from './kit';
import { defineOperator } from './operator';
import { textFields } from './text-field';

const flagPattern = /^[imsu]*$/;

/** RE2's flags for the rule's: i, m and s as in JavaScript; u changes nothing (RE2 always reads code points). */
function re2Flags(flags: string): number {
  let bits = 0;
  if (flags.includes('i')) bits |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('m')) bits |= RE2JS.MULTILINE;
  if (flags.includes('s')) bits |= RE2JS.DOTALL;
  return bits;
}

/** A compiled rule pattern: RE2, never RegExp. Throws RE2's syntax error for a pattern it does not accept. */
function compilePattern(pattern: string, flags = ''): RE2JS {
  return RE2JS.compile(pattern, re2Flags(flags));
}

/** Why RE2 refused a pattern, in the rule author's terms (RE2's own message names the construct in backquotes). */
function patternProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const construct = /`([^`]*)`/.exec(message)?.[1] ?? '';
  const unsupported = 'is not supported: rule patterns run on a linear-time engine (RE2 syntax)';
  if (/^\\([1-9]|k)/.test(construct)) return `backreference ${construct} ${unsupported}`;
  if (/^\(\?[=!]/.test(construct)) return `lookahead ${construct.slice(0, 3)} ${unsupported}`;
  if (/^\(\?<[=!]/.test(construct)) return `lookbehind ${construct.slice(0, 4)} ${unsupported}`;
  return `invalid regular expression (RE2 syntax): ${message.replace(/^error parsing regexp: /, '')}`;
}

export const matchesOperator = defineOperator({
  key: 'matches',
  schema: z.strictObject({ field: z.string().min(1), pattern: z.string().min(1), flags: z.string().regex(flagPattern).optional() }),
  check(body, path, env) {
    if (!isRecord(body)) {
      env.report(path, 'matches needs an object');
      return { protectedAlone: false };
    }
    const fields = textFields('matches', env);
    unknownKeys(body, ['field', 'pattern', 'flags'], path, env, 'matches');
    fields.check(body.field, [...path, 'field']);
    const flags = body.flags ?? '';
    const flagsOk = typeof flags === 'string' && flagPattern.test(flags);
    if (!flagsOk) env.report([...path, 'flags'], 'flags may only contain i, m, s, u');
    if (typeof body.pattern !== 'string' || body.pattern.length === 0) env.report([...path, 'pattern'], 'pattern must be a non-empty regular expression');
    else {
      try {
        compilePattern(body.pattern, flagsOk ? flags : '');
      } catch (error) {
        env.report([...path, 'pattern'], patternProblem(error));
      }
    }
    return fields.analysis();
  },
  compile({ field, pattern, flags }) {
    const get = compileGetter(field);
    const regex = compilePattern(pattern, flags);
    return leaf([field], [get], (s) => {
      const value = get(s);
      return typeof value === 'string' && regex.test(value);
    });
  },
});

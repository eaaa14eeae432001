import { z } from 'zod';
import { departureCheckInputSchema } from '../../src/screening/application-schema';
import { compileRuleSet, defaultOperators, defineOperator } from '../../src/screening/engine';
import { compileGetter, leaf, resolveField } from '../../src/screening/engine/operators';
import { formatProblem, loadRuleSet } from '../../src/screening/rules/loader';
import { buildSubject } from '../../src/screening/subject';
import { cambodiaLure, japanHoliday } from '../applications/payloads';

/**
 * A toy operator, written only here: `longerThan: { field, chars }` holds when the field's text has
 * more than `chars` characters. Its schema, check, compile and (no) requirements are all it takes.
 */
const longerThan = defineOperator({
  key: 'longerThan',
  schema: z.strictObject({ field: z.string(), chars: z.int().positive() }),
  check(body, path, env) {
    const parsed = z.strictObject({ field: z.unknown(), chars: z.unknown() }).safeParse(body);
    if (parsed.success) {
      const info = resolveField(parsed.data.field, [...path, 'field'], env);
      if (info && info.type !== 'string') env.report([...path, 'field'], `longerThan needs a text field; ${info.path} is ${info.type}`);
    }
    return { protectedAlone: false };
  },
  compile({ field, chars }) {
    const get = compileGetter(field);
    return leaf([field], [get], (s) => {
      const value = get(s);
      return typeof value === 'string' && value.length > chars;
    });
  },
});

const manifest = 'name: toy\nthresholds: { review: 10, postpone: 20 }\n';
const rule = (when: string) => `rules:
  - id: toy.long-description
    title: { id: Deskripsi panjang, en: Long description }
    reason: { id: Deskripsi pekerjaan panjang, en: The job description is long }
    appliesTo: [departure]
    weight: 10
    source: test
    when:
${when}
`;

describe('the rule grammar is a registry: an operator is one module', () => {
  const operators = defaultOperators.with(longerThan);

  it('given a toy operator registered in a test, when a rule set uses it, then it loads, compiles and evaluates', () => {
    const loaded = loadRuleSet({ 'manifest.yaml': manifest, 'rules/toy.yaml': rule('      longerThan: { field: employment.jobDescription, chars: 40 }') }, { operators });
    expect(loaded.ok ? [] : loaded.problems.map(formatProblem)).toEqual([]);
    if (!loaded.ok) return;
    const compiled = compileRuleSet(loaded.ruleSet, { operators });
    const receivedAt = '2026-11-20T00:00:00.000Z';
    const lure = departureCheckInputSchema.parse(cambodiaLure());
    const decision = compiled.evaluate(buildSubject('departure', lure, { receivedAt }));
    expect(decision).toMatchObject({ outcome: 'REVIEW', score: 10 });
    expect(decision.hits).toEqual([expect.objectContaining({ ruleId: 'toy.long-description', evidence: { 'employment.jobDescription': lure.employment!.jobDescription } })]);
    const holiday = departureCheckInputSchema.parse(japanHoliday());
    expect(compiled.evaluate(buildSubject('departure', holiday, { receivedAt }))).toMatchObject({ outcome: 'CLEAR', hits: [] });
  });

  it('given a toy condition with a bad operand, an unknown field and an unknown key, when loaded, then each problem names its line', () => {
    const when = [
      '      all:',
      '        - longerThan: { field: employment.jobDescription, chars: -3 }',
      '        - longerThan: { field: employment.nothing, chars: 3 }',
      '        - longerThan:',
      '            field: employment.jobTitle',
      '            chars: 3',
      '            words: 2',
    ].join('\n');
    const loaded = loadRuleSet({ 'manifest.yaml': manifest, 'rules/toy.yaml': rule(when) }, { operators });
    expect(loaded.ok).toBe(false);
    const lines = loaded.ok ? [] : loaded.problems.map(formatProblem);
    expect(lines).toEqual([
      expect.stringMatching(/^rules\/toy\.yaml:10: rule toy\.long-description: longerThan: .*/),
      'rules/toy.yaml:11: rule toy.long-description: unknown field path "employment.nothing" for departure applications',
      expect.stringMatching(/^rules\/toy\.yaml:15: rule toy\.long-description: longerThan: .*words/),
    ]);
  });

  it('given the default grammar without the toy, when the same rule set is loaded, then the operator is unknown and the defaults are unchanged', () => {
    const loaded = loadRuleSet({ 'manifest.yaml': manifest, 'rules/toy.yaml': rule('      longerThan: { field: employment.jobDescription, chars: 40 }') });
    expect(loaded.ok ? [] : loaded.problems.map(formatProblem)).toEqual([expect.stringMatching(/^rules\/toy\.yaml:9: rule toy\.long-description: unknown condition "longerThan" \(expected all, any, not, field/)]);
    expect(defaultOperators.operators().map((o) => o.key)).not.toContain('longerThan');
    expect(operators.describe()).toMatch(/, linked, history, subjectOfInterest, longerThan$/);
  });

  it('given an operator key that is already taken, when registered, then it is refused', () => {
    expect(() => defaultOperators.with({ ...longerThan, key: 'matches' })).toThrow(/already registered/);
  });
});

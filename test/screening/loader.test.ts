import { formatProblem, loadRuleSet, loadRuleSetFromDir } from '../../src/screening/rules/loader';

const manifest = `name: t
thresholds: { review: 40, postpone: 70 }
lists:
  hubs: { type: countries, items: [KH] }
  lure: { type: keywords, items: [cs] }
`;

const good = `rules:
  - id: ok.rule
    title: { id: Judul, en: Title }
    reason: { id: Alasan, en: Reason }
    appliesTo: [departure]
    weight: 10
    source: test
    when: { field: trip.destinationCountry, in: { list: hubs } }
`;

// Each broken rule sits on a known line so the report can be checked exactly.
const broken = `rules:
  - id: a.unknown-field
    title: { id: A, en: A }
    reason: { id: A, en: A }
    appliesTo: [departure]
    weight: 1
    source: s
    when: { field: trip.destination, eq: KH }
  - id: b.bad-regex
    title: { id: B, en: B }
    reason: { id: B, en: B }
    appliesTo: [departure]
    weight: 1
    source: s
    when:
      matches: { field: employment.jobTitle, pattern: '([a-z' }
  - id: c.backreference
    title: { id: C, en: C }
    reason: { id: C, en: C }
    appliesTo: [departure]
    weight: 1
    source: s
    when:
      matches: { field: employment.jobTitle, pattern: '(a)\\1' }
  - id: d.unknown-list
    title: { id: D, en: D }
    reason: { id: D, en: D }
    appliesTo: [departure]
    weight: 1
    source: s
    when:
      containsAny: { field: employment.jobTitle, list: scam-words }
  - id: ok.rule
    title: { id: E, en: E }
    reason: { id: E, en: E }
    appliesTo: [departure]
    weight: 1
    source: s
    when: { field: trip.mode, eq: air }
  - id: f.missing-translation
    title: { id: F }
    reason: { id: F, en: F }
    appliesTo: [departure]
    weight: 1
    source: s
    when: { field: trip.mode, eq: sea }
  - id: g.protected-only
    title: { id: G, en: G }
    reason: { id: G, en: G }
    appliesTo: [departure]
    weight: 1
    source: s
    when:
      any:
        - { field: derived.age, lt: 25 }
        - all:
            - { field: trip.mode, eq: air }
            - { field: traveller.sex, eq: F }
  - id: h.wrong-operand
    title: { id: H, en: H }
    reason: { id: H, en: H }
    appliesTo: [departure]
    weight: 1
    source: s
    when:
      all:
        - { field: trip.hasReturnTicket, eq: 'no' }
        - { field: purpose.visaType, in: [tourist, holiday] }
        - { field: trip.departureAt, gt: 3 }
`;

describe('rule set loader', () => {
  it('given a valid in-memory rule set, when loaded, then ok with lists and rules', () => {
    const result = loadRuleSet({ 'manifest.yaml': manifest, 'rules/a.yaml': good });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.ruleSet).toMatchObject({ name: 't', thresholds: { review: 40, postpone: 70 }, rules: [{ id: 'ok.rule' }] });
  });

  it('given a file with every kind of problem, when loaded once, then every problem is reported with file and line', () => {
    const result = loadRuleSet({ 'manifest.yaml': manifest, 'rules/a.yaml': good, 'rules/b.yaml': broken });
    expect(result.ok).toBe(false);
    const lines = result.ok ? [] : result.problems.map(formatProblem);
    const expectLine = (prefix: string, pattern: RegExp) => expect(lines.filter((l) => l.startsWith(prefix) && pattern.test(l))).toEqual([expect.any(String)]);
    expectLine('rules/b.yaml:8:', /unknown field path "trip.destination" for departure/);
    expectLine('rules/b.yaml:16:', /invalid regular expression/);
    expectLine('rules/b.yaml:24:', /backreference \\1 is not supported: rule patterns run on a linear-time engine/);
    expectLine('rules/b.yaml:32:', /unknown list "scam-words"/);
    expectLine('rules/b.yaml:33:', /duplicate rule id "ok.rule" \(first defined at rules\/a.yaml:2\)/);
    expectLine('rules/b.yaml:41:', /missing English \(en\) title/);
    expectLine('rules/b.yaml:53:', /protected attributes alone/);
    expectLine('rules/b.yaml:67:', /trip.hasReturnTicket is a boolean/);
    expectLine('rules/b.yaml:68:', /"holiday" is not a value of purpose.visaType/);
    expectLine('rules/b.yaml:69:', /gt needs a number field; trip.departureAt is datetime/);
    expect(lines).toHaveLength(10);
  });

  it('given a protected attribute combined in an all with a real signal, when loaded, then accepted', () => {
    const rule = good.replace(
      "when: { field: trip.destinationCountry, in: { list: hubs } }",
      'when:\n      all:\n        - { field: derived.age, lt: 25 }\n        - { field: trip.destinationCountry, in: { list: hubs } }',
    );
    expect(loadRuleSet({ 'manifest.yaml': manifest, 'rules/a.yaml': rule }).ok).toBe(true);
  });

  it('given a manifest with problems and YAML syntax errors, when loaded, then both are reported', () => {
    const result = loadRuleSet({
      'manifest.yaml': 'name: t\nthresholds: { review: 80, postpone: 70 }\nlists:\n  words: { type: keywords, file: lists/missing.txt }\n',
      'rules/a.yaml': 'rules:\n  - id: [unclosed\n',
    });
    const lines = result.ok ? [] : result.problems.map(formatProblem);
    expect(lines).toEqual(
      expect.arrayContaining([expect.stringMatching(/^manifest.yaml:2: .*postpone threshold must be >= review/), expect.stringMatching(/^rules\/a.yaml:\d+: YAML/)]),
    );
  });

  it('given the default rule set directory, when loaded, then it is valid', () => {
    const result = loadRuleSetFromDir('rules/default');
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([]);
  });
});

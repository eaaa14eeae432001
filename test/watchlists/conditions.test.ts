/** The `watchlist` and `linked` rule conditions in the pure engine: validation with file:line, requirements, evidence. */
import { compileRuleSet } from '../../src/screening/engine';
import { formatProblem, loadRuleSet, loadRuleSetFromDirOrThrow } from '../../src/screening/rules/loader';
import { departureCheckInputSchema } from '../../src/screening/application-schema';
import { buildSubject, type ScreeningContext } from '../../src/screening/subject';
import { cambodiaLure } from '../applications/payloads';

const manifest = `name: t
thresholds: { review: 40, postpone: 70 }
`;

const rule = (id: string, appliesTo: string, when: string) => `  - id: ${id}
    title: { id: J, en: T }
    reason: { id: A, en: R }
    appliesTo: [${appliesTo}]
    weight: 30
    source: s
    when:
      ${when}
`;

const load = (rules: string) => loadRuleSet({ 'manifest.yaml': manifest, 'rules/context.yaml': `rules:\n${rules}` });

describe('watchlist and linked conditions: validation', () => {
  it('given broken watchlist and linked conditions, when loaded, then every problem is reported with file and line', () => {
    const result = load(
      [
        rule('a.unknown-list', 'departure', 'watchlist: { list: recruiters, field: employment.recruiterPhone }'),
        rule('b.phone-on-name', 'departure', 'watchlist: { list: phone, field: employment.recruiterName }'),
        rule('c.name-on-phone', 'departure', 'watchlist: { list: person, field: employment.recruiterPhone }'),
        rule('d.similarity-on-phone', 'departure', 'watchlist: { list: phone, field: sponsor.phone, minSimilarity: 0.9 }'),
        rule('e.similarity-too-low', 'departure', 'watchlist: { list: employer, field: employment.employerName, minSimilarity: 0.1 }'),
        rule('f.derived-field', 'departure', 'watchlist: { list: address, field: derived.destinationCity }'),
        rule('g.sponsor-on-passport', 'departure, passport', 'linked: { by: sponsorPhone, withinDays: 14, atLeast: 2 }'),
        rule('h.bad-window', 'departure', 'linked: { by: recruiterPhone, withinDays: 2.5, atLeast: 0 }'),
        rule('i.unknown-key', 'departure', 'linked: { by: nik, withinDays: 14, atLeast: 2, extra: 1 }'),
      ].join(''),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const lines = result.problems.map(formatProblem);
    // Each rule is 8 lines long starting at line 2; its condition is on the rule's 8th line.
    const at = (index: number) => `rules/context.yaml:${2 + index * 8 + 7}:`;
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${at(0)} rule a.unknown-list: list must be one of the watchlists: phone, agency, employer, address, person`)),
        expect.stringMatching(new RegExp(`^${at(1)} rule b.phone-on-name: the phone watchlist needs a phone field; employment.recruiterName is not one`)),
        expect.stringMatching(new RegExp(`^${at(2)} rule c.name-on-phone: the person watchlist compares names; employment.recruiterPhone is phone, not free text`)),
        expect.stringMatching(new RegExp(`^${at(3)} rule d.similarity-on-phone: phone numbers match exactly; minSimilarity does not apply`)),
        expect.stringMatching(new RegExp(`^${at(4)} rule e.similarity-too-low: minSimilarity must be a number from 0.3 to 1; got 0.1`)),
        expect.stringMatching(new RegExp(`^${at(5)} rule f.derived-field: watchlist compares an application field; derived.destinationCity is not one`)),
        expect.stringMatching(new RegExp(`^${at(6)} rule g.sponsor-on-passport: passport applications have no sponsorPhone`)),
        expect.stringMatching(new RegExp(`^${at(7)} rule h.bad-window: withinDays must be a whole number of days`)),
        expect.stringMatching(new RegExp(`^${at(7)} rule h.bad-window: atLeast must be a whole number of other travellers`)),
        expect.stringMatching(new RegExp(`^${at(8)} rule i.unknown-key: by must be one of recruiterPhone, sponsorPhone, employer, ticketPayer`)),
        expect.stringMatching(new RegExp(`^${at(8)} rule i.unknown-key: unknown key "extra" in linked`)),
      ]),
    );
    expect(lines).toHaveLength(11);
  });

  it('given the old field-style context paths, when loaded, then they are unknown fields', () => {
    const result = load(rule('old.style', 'departure', '{ field: context.watchlist.recruiterPhone.matched, eq: true }'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.message)).toEqual([expect.stringContaining('unknown field path "context.watchlist.recruiterPhone.matched"')]);
  });
});

describe('watchlist and linked conditions: requirements', () => {
  it('given several rules, when compiled, then requirements are deduplicated per kind with the lowest similarity and the widest window', () => {
    const result = load(
      [
        rule('a', 'departure, passport', 'watchlist: { list: employer, field: employment.employerName, minSimilarity: 0.9 }'),
        rule('b', 'departure', 'any: [ { watchlist: { list: employer, field: employment.employerName } }, { linked: { by: recruiterPhone, withinDays: 7, atLeast: 2 } } ]'),
        rule('c', 'departure, passport', 'not: { linked: { by: recruiterPhone, withinDays: 30, atLeast: 5 } }'),
        rule('d', 'passport', 'watchlist: { list: agency, field: employment.placementAgencyLicence }'),
      ].join(''),
    );
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
    const { requirements } = compileRuleSet(result.ruleSet);
    expect(requirements.departure).toEqual({
      watchlist: [{ list: 'employer', field: 'employment.employerName', mode: 'name', minSimilarity: 0.7 }],
      links: [{ by: 'recruiterPhone', withinDays: 30 }],
      history: [],
      subjectsOfInterest: [],
    });
    expect(requirements.passport).toEqual({
      watchlist: [
        { list: 'agency', field: 'employment.placementAgencyLicence', mode: 'licence', minSimilarity: 1 },
        { list: 'employer', field: 'employment.employerName', mode: 'name', minSimilarity: 0.9 },
      ],
      links: [{ by: 'recruiterPhone', withinDays: 30 }],
      history: [],
      subjectsOfInterest: [],
    });
  });

  it('given the default rule set, when compiled, then it asks for the phone, employer, agency, person and address lists and all four link keys', () => {
    const { requirements } = compileRuleSet(loadRuleSetFromDirOrThrow('rules/default'));
    expect(requirements.departure.watchlist.map((r) => `${r.list}:${r.field}`)).toEqual(
      expect.arrayContaining(['phone:employment.recruiterPhone', 'phone:sponsor.phone', 'employer:employment.employerName', 'agency:employment.placementAgencyLicence', 'person:employment.recruiterName', 'address:trip.destinationCity']),
    );
    expect(requirements.departure.links.map((l) => l.by).sort()).toEqual(['employer', 'recruiterPhone', 'sponsorPhone', 'ticketPayer']);
    expect(requirements.passport.links.map((l) => l.by).sort()).toEqual(['employer', 'recruiterPhone']);
  });
});

describe('watchlist and linked conditions: evaluation', () => {
  const result = load(
    [
      rule('w.employer', 'departure', 'watchlist: { list: employer, field: employment.employerName, minSimilarity: 0.8 }'),
      rule('l.recruiter', 'departure', 'linked: { by: recruiterPhone, withinDays: 10, atLeast: 2 }'),
    ].join(''),
  );
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
  const compiled = compileRuleSet(result.ruleSet);
  const subject = buildSubject('departure', departureCheckInputSchema.parse(cambodiaLure()));
  const match = (similarity: number, entryId = 'e1') => ({ list: 'employer' as const, field: 'employment.employerName', entryId, entry: 'Golden Star Trading (KH)', similarity, source: 'Polri' });

  it('given matches above and below the rule threshold, when evaluated, then it fires with the accepted entries, best first, as evidence', () => {
    const context: ScreeningContext = { watchlist: [match(0.75, 'e0'), match(0.85, 'e1'), match(1, 'e2'), { ...match(1, 'e3'), field: 'employment.recruiterName' }] };
    const hit = compiled.evaluate(subject, context).hits.find((h) => h.ruleId === 'w.employer');
    expect(hit?.evidence).toEqual({
      'employment.employerName': 'Golden Star Trading Co.',
      'watchlist:employer:employment.employerName': [
        { entryId: 'e2', entry: 'Golden Star Trading (KH)', similarity: 1, source: 'Polri' },
        { entryId: 'e1', entry: 'Golden Star Trading (KH)', similarity: 0.85, source: 'Polri' },
      ],
    });
  });

  it('given only a match below the threshold or on another field, when evaluated, then it does not fire', () => {
    const context: ScreeningContext = { watchlist: [match(0.79), { ...match(1), field: 'employment.recruiterName' }, { ...match(1), list: 'agency' }] };
    expect(compiled.evaluate(subject, context).hits.map((h) => h.ruleId)).not.toContain('w.employer');
  });

  it('given linked applications, when evaluated, then travellers inside the window are counted once each and their ids are evidence', () => {
    const context: ScreeningContext = {
      links: {
        recruiterPhone: [
          { applicationId: 'a1', daysApart: 9.9, traveller: 't1' },
          { applicationId: 'a2', daysApart: 10.5, traveller: 't2' },
          { applicationId: 'a3', daysApart: 1, traveller: 't1' },
        ],
      },
    };
    expect(compiled.evaluate(subject, context).hits.map((h) => h.ruleId)).not.toContain('l.recruiter');
    const more: ScreeningContext = { links: { recruiterPhone: [...context.links!.recruiterPhone!, { applicationId: 'a4', daysApart: 0, traveller: 't3' }] } };
    const hit = compiled.evaluate(subject, more).hits.find((h) => h.ruleId === 'l.recruiter');
    expect(hit?.evidence).toEqual({
      'employment.recruiterPhone': '+85512345678',
      'linked:recruiterPhone': { withinDays: 10, atLeast: 2, travellers: 2, applicationIds: ['a1', 'a3', 'a4'] },
    });
  });

  it('given no context, when evaluated, then neither condition fires', () => {
    expect(compiled.evaluate(subject).hits).toEqual([]);
  });
});

import { compileRuleSet, RuleSetCompileError, ruleSetVersion, type RuleSet } from '../../src/screening/engine';
import { compileKeywordMatcher, normaliseText } from '../../src/screening/engine/text';
import { departure, passport } from './builders';

const t = (s: string) => ({ id: `${s} (id)`, en: s });

/** review 40, postpone 70; weights chosen so each threshold edge can be hit exactly. */
function tinyRuleSet(): RuleSet {
  return {
    name: 'tiny',
    thresholds: { review: 40, postpone: 70 },
    lists: { hubs: { type: 'countries', items: ['KH', 'MM'] }, lure: { type: 'keywords', items: ['customer service', 'CS', 'gaji tinggi'] } },
    rules: [
      { id: 'w39', title: t('w39'), reason: t('w39'), appliesTo: ['departure'], weight: 39, source: 'test', when: { field: 'trip.groupSize', eq: 39 } },
      { id: 'w40', title: t('w40'), reason: t('w40'), appliesTo: ['departure'], weight: 40, source: 'test', when: { field: 'trip.groupSize', eq: 40 } },
      { id: 'w30', title: t('w30'), reason: t('w30'), appliesTo: ['departure'], weight: 30, source: 'test', when: { field: 'trip.previousInternationalTrips', gte: 30 } },
      { id: 'w-1', title: t('w-1'), reason: t('w-1'), appliesTo: ['departure'], weight: -1, source: 'test', when: { field: 'trip.previousInternationalTrips', eq: 31 } },
      { id: 'forced', title: t('forced'), reason: t('forced'), appliesTo: ['departure', 'passport'], weight: 1, mustReview: true, source: 'test', when: { field: 'observations.appearsCoached', eq: true } },
      {
        id: 'lure',
        title: t('lure'),
        reason: t('lure'),
        appliesTo: ['departure'],
        weight: 5,
        source: 'test',
        when: {
          all: [
            { field: 'trip.destinationCountry', in: { list: 'hubs' } },
            { containsAny: { field: ['employment.jobTitle', 'employment.jobDescription'], list: 'lure' } },
            { not: { field: 'employment.idPmiNumber', exists: true } },
            { any: [{ field: 'trip.ticketPaidBy', eq: 'employer' }, { field: 'trip.mode', eq: 'sea' }] },
          ],
        },
      },
      { id: 'long-stay', title: t('l'), reason: t('l'), appliesTo: ['departure'], weight: 2, source: 'test', when: { daysBetween: { from: 'trip.departureAt', to: 'trip.returnDate', gte: 15 } } },
      { id: 'via', title: t('v'), reason: t('v'), appliesTo: ['departure'], weight: 2, source: 'test', when: { anyIn: { field: 'trip.transitCountries', values: ['TH'] } } },
      { id: 'plus855', title: t('p'), reason: t('p'), appliesTo: ['departure'], weight: 2, source: 'test', when: { matches: { field: 'employment.recruiterPhone', pattern: '^\\+855' } } },
    ],
  };
}

describe('banding', () => {
  const engine = compileRuleSet(tinyRuleSet());
  it.each([
    ['39 (just below review)', { trip: { groupSize: 39 } }, 39, 'CLEAR'],
    ['40 (at review)', { trip: { groupSize: 40 } }, 40, 'REVIEW'],
    ['69 (just below postpone)', { trip: { groupSize: 39, previousInternationalTrips: 30 } }, 69, 'REVIEW'],
    ['70 (at postpone)', { trip: { groupSize: 40, previousInternationalTrips: 30 } }, 70, 'POSTPONE_RECOMMENDED'],
    ['70 - 1 from a negative weight', { trip: { groupSize: 40, previousInternationalTrips: 31 } }, 69, 'REVIEW'],
  ])('given a score of %s, when evaluated, then the outcome is banded', (_name, patch, score, outcome) => {
    const result = engine.evaluate(departure(patch));
    expect(result.score).toBe(score);
    expect(result.outcome).toBe(outcome);
  });

  it('given a mustReview hit with a tiny score, when evaluated, then REVIEW; without it CLEAR', () => {
    const forced = engine.evaluate(departure({ observations: { appearsCoached: true } }));
    expect(forced).toMatchObject({ score: 1, outcome: 'REVIEW', hits: [{ ruleId: 'forced', mustReview: true }] });
    expect(engine.evaluate(passport({ observations: { appearsCoached: true } })).outcome).toBe('REVIEW');
    expect(engine.evaluate(departure({ observations: { appearsCoached: false } }))).toMatchObject({ score: 0, outcome: 'CLEAR', hits: [] });
  });

  it('given a mustReview hit above postpone, when evaluated, then still POSTPONE_RECOMMENDED', () => {
    expect(engine.evaluate(departure({ trip: { groupSize: 40, previousInternationalTrips: 30 }, observations: { appearsCoached: true } })).outcome).toBe('POSTPONE_RECOMMENDED');
  });
});

describe('evidence', () => {
  const engine = compileRuleSet(tinyRuleSet());
  const lure = {
    trip: { destinationCountry: 'KH', ticketPaidBy: 'employer', transitCountries: ['TH'] },
    employment: { hasJobOffer: true, jobTitle: 'Customer Service', jobDescription: 'Physics tutor, GAJI  TINGGI', recruiterPhone: '+855 12 345 678' },
  };

  it('given a firing all/any/not condition, when evaluated, then evidence names exactly the fields it looked at, with matched keywords', () => {
    const hit = engine.evaluate(departure(lure)).hits.find((h) => h.ruleId === 'lure');
    expect(hit?.evidence).toEqual({
      'trip.destinationCountry': 'KH',
      'employment.jobTitle': ['customer service'],
      'employment.jobDescription': ['gaji tinggi'],
      'employment.idPmiNumber': null,
      'trip.ticketPaidBy': 'employer',
    });
    expect(hit).toMatchObject({ weight: 5, mustReview: false, title: { en: 'lure' }, reason: { id: 'lure (id)' } });
  });

  it('given the other operators, when they fire, then each hit names its fields', () => {
    const hits = Object.fromEntries(engine.evaluate(departure(lure)).hits.map((h) => [h.ruleId, h.evidence]));
    expect(hits['via']).toEqual({ 'trip.transitCountries': ['TH'] });
    expect(hits['plus855']).toEqual({ 'employment.recruiterPhone': '+85512345678' });
    expect(hits['long-stay']).toBeUndefined();
    expect(engine.evaluate(departure({ trip: { returnDate: '2027-01-04' } })).hits).toEqual([
      expect.objectContaining({ ruleId: 'long-stay', evidence: { 'trip.departureAt': '2026-12-20T23:55:00+07:00', 'trip.returnDate': '2027-01-04' } }),
    ]);
  });

  it('given the "not" branch fails because an ID PMI exists, when evaluated, then the rule does not fire', () => {
    const ids = engine.evaluate(departure({ ...lure, employment: { ...lure.employment, idPmiNumber: 'PMI-1' } })).hits.map((h) => h.ruleId);
    expect(ids).not.toContain('lure');
  });

  it('given hits, when evaluated, then they are ordered by weight then id, and the result is repeatable', () => {
    const a = engine.evaluate(departure({ ...lure, trip: { ...lure.trip, groupSize: 40 } }));
    expect(a.hits.map((h) => h.ruleId)).toEqual(['w40', 'lure', 'plus855', 'via']);
    expect(engine.evaluate(departure({ ...lure, trip: { ...lure.trip, groupSize: 40 } }))).toEqual(a);
  });
});

describe('keyword matching', () => {
  const matcher = compileKeywordMatcher(['customer service', 'CS', 'gaji tinggi', 'admin online', 'crypto']);
  it.each([
    ['Lowongan CUSTOMER   service', ['customer service']],
    ['jadi cs-online', ['CS']],
    ['Physics and economics', []],
    ['Admin Online & Crypto', ['admin online', 'crypto']],
    ['crÿpto gáji tínggi', ['crypto', 'gaji tinggi']],
    ['cryptocurrency', []],
  ])('given "%s", when searched, then %j', (text, expected) => {
    expect(matcher.find(normaliseText(text))).toEqual(expected);
  });
});

describe('rule set version', () => {
  it('given the same rule set in another order, when hashed, then the version is identical and prefixed rs-', () => {
    const a = tinyRuleSet();
    const b = tinyRuleSet();
    b.rules.reverse();
    b.lists = { lure: { type: 'keywords', items: ['gaji tinggi', 'CS', 'customer service'] }, hubs: b.lists['hubs']! };
    expect(ruleSetVersion(a)).toMatch(/^rs-[0-9a-f]{16}$/);
    expect(ruleSetVersion(b)).toBe(ruleSetVersion(a));
    expect(compileRuleSet(b).version).toBe(ruleSetVersion(a));
  });
  it('given a changed weight, when hashed, then the version changes', () => {
    const b = tinyRuleSet();
    b.rules[0]!.weight = 38;
    expect(ruleSetVersion(b)).not.toBe(ruleSetVersion(tinyRuleSet()));
  });
});

describe('compileRuleSet', () => {
  it('given an invalid rule set object, when compiled, then it throws listing the problems', () => {
    const bad = tinyRuleSet();
    bad.rules.push({ id: 'bad', title: t('b'), reason: t('b'), appliesTo: ['passport'], weight: 1, source: 's', when: { field: 'trip.mode', eq: 'air' } });
    expect(() => compileRuleSet(bad)).toThrow(RuleSetCompileError);
    expect(() => compileRuleSet(bad)).toThrow(/unknown field path "trip.mode" for passport/);
  });
});

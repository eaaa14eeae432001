import { departureCheckInputSchema, passportApplicationInputSchema } from '../../src/screening/application-schema';
import { compileRuleSet } from '../../src/screening/engine';
import { loadRuleSetFromDirOrThrow } from '../../src/screening/rules/loader';
import { readRuleTests, runRuleTestCase, runRuleTests } from '../../src/screening/rules/tests';
import { loadScreener } from '../../src/screening/screener';
import { buildSubject } from '../../src/screening/subject';
import { cambodiaLure, japanHoliday, passportForWorkInCambodia, proceduralWorker } from '../applications/payloads';

const dir = 'rules/default';
const compiled = compileRuleSet(loadRuleSetFromDirOrThrow(dir));
const tests = readRuleTests(dir);

describe('default rule set: YAML rule-level cases', () => {
  it('given the test files, when read, then they parse without problems', () => {
    expect(tests.problems).toEqual([]);
    expect(tests.cases.length).toBeGreaterThan(2 * compiled.ruleIds.length);
  });

  it.each(tests.cases.map((c) => [`${c.file}:${c.line} ${c.name}`, c] as const))('given %s, when evaluated, then as expected', (_name, c) => {
    const result = runRuleTestCase(compiled, tests.bases, c);
    expect(result.messages).toEqual([]);
  });

  it.each(compiled.ruleIds.map((id) => [id]))('given rule %s, when looking at the cases, then one fires it and a close one does not', (id) => {
    const about = tests.cases.filter((c) => c.rule === id);
    expect(about.some((c) => c.expect.includes?.includes(id) || c.expect.hits?.includes(id))).toBe(true);
    expect(about.some((c) => c.expect.excludes?.includes(id) || (c.expect.hits !== undefined && !c.expect.hits.includes(id)))).toBe(true);
  });

  it('given the directory, when runRuleTests runs, then every case passes', () => {
    const report = runRuleTests(dir);
    expect(report.failed).toBe(0);
    expect(report.passed).toBe(tests.cases.length);
    expect(report.ruleSetVersion).toBe(compiled.version);
  });
});

describe('default rule set: reference scenarios', () => {
  const screener = loadScreener(dir);
  const receivedAt = new Date('2026-11-23T01:00:00Z');

  it('given the textbook Cambodia lure, when screened, then POSTPONE_RECOMMENDED with evidence on destination, visa, channel and ticket', () => {
    const decision = screener.screen({ kind: 'departure', data: departureCheckInputSchema.parse(cambodiaLure()) }, receivedAt);
    expect(decision.outcome).toBe('POSTPONE_RECOMMENDED');
    expect(decision.score).toBeGreaterThanOrEqual(70);
    expect(decision.ruleSetVersion).toBe(compiled.version);
    const byId = Object.fromEntries(decision.hits.map((h) => [h.ruleId, h.evidence]));
    expect(byId['destination.cambodia']).toEqual({ 'derived.destinationCountry': 'KH' });
    expect(byId['visa.job-offer-on-non-work-visa']).toEqual({ 'employment.hasJobOffer': true, 'purpose.visaType': 'tourist', 'derived.documentedSeafarer': false });
    expect(byId['recruitment.social-media']).toEqual({ 'employment.recruitedVia': 'telegram' });
    expect(byId['ticket.paid-by-employer-or-recruiter']).toEqual({ 'trip.ticketPaidBy': 'employer', 'employment.idPmiNumber': null });
    expect(byId['job.lure-title']).toEqual({ 'employment.jobTitle': ['Customer Service'.toLowerCase()], 'employment.jobDescription': ['kerja kantoran', 'CS online'] });
    for (const hit of decision.hits) {
      expect(hit.title.id && hit.title.en && hit.reason.id && hit.reason.en).toBeTruthy();
    }
  });

  it('given a family holiday to Japan with a return ticket, when screened, then CLEAR with no hits', () => {
    expect(screener.screen({ kind: 'departure', data: departureCheckInputSchema.parse(japanHoliday()) }, receivedAt)).toMatchObject({ outcome: 'CLEAR', score: 0, hits: [] });
  });

  it('given a procedural worker to Taiwan, when screened, then CLEAR with no hits', () => {
    expect(screener.screen({ kind: 'departure', data: departureCheckInputSchema.parse(proceduralWorker()) }, receivedAt)).toMatchObject({ outcome: 'CLEAR', hits: [] });
  });

  it('given an urgent first passport for an online admin job in Cambodia, when screened, then flagged', () => {
    const decision = screener.screen({ kind: 'passport', data: passportApplicationInputSchema.parse(passportForWorkInCambodia()) }, receivedAt);
    expect(['REVIEW', 'POSTPONE_RECOMMENDED']).toContain(decision.outcome);
    expect(decision.hits.map((h) => h.ruleId)).toEqual(expect.arrayContaining(['passport.destination.cambodia', 'passport.urgent-first-passport-job-offer']));
  });

  it('given the rule set loaded twice, when compiled, then the version is the same', () => {
    expect(compileRuleSet(loadRuleSetFromDirOrThrow(dir)).version).toBe(compiled.version);
    const subject = buildSubject('departure', departureCheckInputSchema.parse(cambodiaLure()));
    expect(compiled.evaluate(subject)).toEqual(compiled.evaluate(subject));
  });
});

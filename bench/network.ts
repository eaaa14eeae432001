/**
 * Section `network`: what a recruiter's cluster costs a screening. Fifty departure checks sharing one
 * recruiter phone are stored through the intake's own store (src/applications/service.ts); then the
 * screening path every intake runs (the one context statement, links included, and the pure engine)
 * is timed for travellers who join that cluster and for travellers who share nothing, interleaved
 * so both see the same machine. The probes are not stored, so the cluster stays at fifty members.
 * Goal (issue 21): a member of a 50-member cluster within 2x a screening with no links.
 */
import { randomBytes } from 'node:crypto';
import { slaSettingsOf, storeScreenedApplications, type ScreenedApplication } from '../src/applications/service';
import { createUser } from '../src/auth/service';
import { loadConfig } from '../src/config';
import { departureCheckInputSchema, type DepartureCheck, type DepartureCheckInput } from '../src/screening/application-schema';
import { databaseScreeningContext } from '../src/screening/context';
import { compileRuleSet } from '../src/screening/engine/compile';
import { loadRuleSetFromDirOrThrow } from '../src/screening/rules/loader';
import { createScreener } from '../src/screening/screener';
import { rulesDir } from './api-process';
import { createBenchDatabase } from './databases';
import { departureBodies } from './generator';
import type { BenchOptions } from './options';
import { fmt, type SectionResult } from './report';

const CLUSTER_SIZE = 50;
const CLUSTER_PHONE = '+855 12 345 678';
const DEPARTURE = '2027-03-10T09:40:00+07:00';

/** A generated departure check turned into traveller n, leaving on DEPARTURE, recruited through `phone`. */
function traveller(body: DepartureCheckInput, n: number, phone: string): DepartureCheck {
  const suffix = String(n).padStart(6, '0');
  const input = {
    ...body,
    traveller: { ...body.traveller, nik: `3201235403${suffix}`, passportNumber: `E${suffix}9`, fullName: `Traveller ${suffix}` },
    trip: { ...body.trip, departureAt: DEPARTURE, returnDate: undefined },
    employment: { ...(body.employment ?? { hasJobOffer: true }), recruiterPhone: phone },
  };
  return departureCheckInputSchema.parse(input);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;

export async function runNetworkBench(options: BenchOptions): Promise<SectionResult> {
  const probes = options.quick ? 200 : 1_000;
  const failures: string[] = [];
  const database = await createBenchDatabase('network', options.keepDatabases);
  try {
    const { db } = database.handle;
    const version = createScreener(compileRuleSet(loadRuleSetFromDirOrThrow(rulesDir())));
    const officer = await createUser(db, { username: `bench.network.${randomBytes(3).toString('hex')}`, displayName: 'Bench officer', password: randomBytes(12).toString('base64url'), role: 'officer', officeCode: 'TPI-CGK' });
    const actor = { userId: officer.id, role: 'officer', officeCode: 'TPI-CGK' };
    const sla = slaSettingsOf(loadConfig(process.env));
    const bodies = departureBodies(CLUSTER_SIZE + probes * 2, 21_050);

    console.log(`  storing a ${CLUSTER_SIZE}-member cluster (one recruiter phone, one departure day)...`);
    const receivedAt = new Date('2027-03-01T02:00:00Z');
    for (let i = 0; i < CLUSTER_SIZE; i++) {
      const data = traveller(bodies[i]!, i, CLUSTER_PHONE);
      const at = new Date(receivedAt.getTime() - (CLUSTER_SIZE - i) * 60_000);
      const [context] = await databaseScreeningContext.resolve(db, [{ kind: 'departure', data }], at, version.requirements, actor.officeCode);
      const decision = version.screen({ kind: 'departure', data }, at, context);
      const member: ScreenedApplication = { intake: { kind: 'departure', data }, decision, actor, receivedAt: at, requestId: null, origin: { idempotencyKey: null, requestHash: null } };
      await storeScreenedApplications(db, [member], sla);
    }

    const screenOne = async (data: DepartureCheck) => {
      const started = process.hrtime.bigint();
      const [context] = await databaseScreeningContext.resolve(db, [{ kind: 'departure', data }], receivedAt, version.requirements, actor.officeCode);
      const decision = version.screen({ kind: 'departure', data }, receivedAt, context);
      return { ms: Number(process.hrtime.bigint() - started) / 1e6, decision, linked: context?.links?.recruiterPhone?.length ?? 0 };
    };

    console.log(`  screening ${fmt.int(probes)} cluster members and ${fmt.int(probes)} unlinked travellers, interleaved...`);
    const member: number[] = [];
    const alone: number[] = [];
    let linkedSeen = Number.POSITIVE_INFINITY;
    for (let i = 0; i < probes; i++) {
      const joining = await screenOne(traveller(bodies[CLUSTER_SIZE + 2 * i]!, 100_000 + i, CLUSTER_PHONE));
      const unlinked = await screenOne(traveller(bodies[CLUSTER_SIZE + 2 * i + 1]!, 200_000 + i, `+855 96 ${String(100 + (i % 900))} ${String(1000 + i).slice(-4)}`));
      member.push(joining.ms);
      alone.push(unlinked.ms);
      linkedSeen = Math.min(linkedSeen, joining.linked);
      if (unlinked.linked !== 0) failures.push(`an unlinked traveller was linked to ${unlinked.linked} applications`);
      if (!joining.decision.hits.some((hit) => hit.ruleId === 'context.link-cluster')) failures.push(`a cluster member's screening fired no linked rule (${joining.decision.hits.map((h) => h.ruleId).join(', ')})`);
      if (failures.length > 0) break;
    }
    if (linkedSeen < CLUSTER_SIZE) failures.push(`a cluster member saw ${linkedSeen} linked applications, not ${CLUSTER_SIZE}`);
    const ratio = median(member) / median(alone);
    console.log(`    member median ${fmt.ms(median(member))} (p95 ${fmt.ms(percentile(member, 0.95))}), unlinked median ${fmt.ms(median(alone))} (p95 ${fmt.ms(percentile(alone, 0.95))}): ${fmt.ratio(ratio)}`);
    return {
      section: 'network',
      rows: [
        { measure: 'screening, 50-member cluster', value: fmt.ms(median(member)), note: `median of ${fmt.int(member.length)}; p95 ${fmt.ms(percentile(member, 0.95))}; context statement + engine` },
        { measure: 'screening, no links', value: fmt.ms(median(alone)), note: `median of ${fmt.int(alone.length)}; p95 ${fmt.ms(percentile(alone, 0.95))}` },
        { measure: 'cluster member / no links', value: fmt.ratio(ratio), goal: '<= 2x', met: ratio <= 2 },
      ],
      figures: { clusterSize: CLUSTER_SIZE, probes, memberMedianMs: median(member), aloneMedianMs: median(alone), memberP95Ms: percentile(member, 0.95), aloneP95Ms: percentile(alone, 0.95), ratio },
      failures,
    };
  } finally {
    await database.drop();
  }
}

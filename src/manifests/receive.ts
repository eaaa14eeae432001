import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { AppDependencies } from '../deps';
import { recordAudit, type Actor } from '../audit/service';
import { insertByUnnest } from '../db/unnest';
import { outboxFor, recordJobs } from '../jobs/outbox';
import { screeningInputs, type MappedManifest } from './mapping';
import { manifestFlights, manifestPassengers, manifests, type ManifestRow } from './schema';

export const MANIFEST_CHUNK_JOB = 'manifests.screen-chunk';
export interface ManifestChunkJob {
  manifestId: string;
  chunk: number;
}
export const manifestChunkJobOptions = { attempts: 5, backoffMs: 2_000 } as const;

/** Only Indonesian nationals are screened; everyone else is stored as the manifest carries them. */
export const SCREENED_NATIONALITY = 'ID';

const INSERT_PAGE = 1_000;
const chunkOf = (ordinal: number, size: number) => Math.floor((ordinal - 1) / size);
const isUniqueViolation = (error: unknown) => (error as { code?: string })?.code === '23505' || (error as { cause?: { code?: string } })?.cause?.code === '23505';

export interface ReceivedManifest {
  manifest: ManifestRow;
  /** True when the interchange was received before: the stored manifest is the answer. */
  replay: boolean;
}

async function stored(deps: AppDependencies, mapped: MappedManifest): Promise<ManifestRow | undefined> {
  const [row] = await deps.db
    .select()
    .from(manifests)
    .where(and(eq(manifests.sender, mapped.sender), eq(manifests.interchangeRef, mapped.interchangeRef)))
    .limit(1);
  return row;
}

/**
 * Stores a mapped manifest whole (manifest, flights, every passenger, the audit record and the chunk
 * jobs in the job outbox) in one transaction, then hands the jobs over. Idempotent on (sender,
 * interchange reference): a resend, or a concurrent one that lost the race, answers the stored manifest.
 */
export async function receiveManifest(deps: AppDependencies, mapped: MappedManifest, actor: Actor, requestId: string): Promise<ReceivedManifest> {
  const existing = await stored(deps, mapped);
  if (existing) return { manifest: existing, replay: true };
  const id = randomUUID();
  const chunkSize = deps.config.BATCH_CHUNK_SIZE;
  const flightIds = mapped.flights.map(() => randomUUID());
  const inputs = screeningInputs(mapped);
  const chunks = new Set<number>();
  const passengerRows = inputs.map(({ flight, passenger, data }, index) => {
    const ordinal = index + 1;
    const screened = passenger.nationality === SCREENED_NATIONALITY;
    if (screened) chunks.add(chunkOf(ordinal, chunkSize));
    return {
      id: randomUUID(),
      manifestId: id,
      flightId: flightIds[flight]!,
      ordinal,
      status: screened ? ('pending' as const) : ('not_screened' as const),
      fullName: data.passenger.fullName,
      nationality: passenger.nationality ?? null,
      documentNumber: passenger.documentNumber ?? null,
      withoutDocument: passenger.documentNumber === undefined,
      data,
      outcome: null,
      score: null,
      hits: null,
      ruleSetVersion: null,
      screenedAt: null,
      departureApplicationId: null,
    };
  });
  const toScreen = passengerRows.filter((row) => row.status === 'pending').length;
  const withoutDocument = passengerRows.filter((row) => row.withoutDocument).length;
  try {
    const manifest = await deps.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(manifests)
        .values({
          id,
          sender: mapped.sender,
          interchangeRef: mapped.interchangeRef,
          format: mapped.format,
          officeCode: actor.officeCode,
          submittedBy: actor.userId,
          submittedRole: actor.role,
          requestId,
          state: toScreen === 0 ? 'completed' : 'screening',
          chunkSize,
          messages: mapped.messages,
          passengers: passengerRows.length,
          toScreen,
          withoutDocument,
          ignoredSegments: mapped.ignoredSegments,
          ignoredTags: mapped.ignoredTags,
          completedAt: toScreen === 0 ? new Date() : null,
        })
        .returning();
      await tx.insert(manifestFlights).values(
        mapped.flights.map((flight, index) => ({
          id: flightIds[index]!,
          manifestId: id,
          officeCode: actor.officeCode,
          mode: flight.mode,
          carrier: flight.carrier ?? null,
          flightOrVessel: flight.flightOrVessel,
          departurePort: flight.departurePort,
          arrivalPort: flight.arrivalPort,
          destinationCountry: flight.destinationCountry ?? null,
          departureAt: new Date(flight.departureAt),
          departureLocal: flight.departureAt,
          arrivalAt: flight.arrivalAt ? new Date(flight.arrivalAt) : null,
          messageRefs: flight.messageRefs,
        })),
      );
      for (let start = 0; start < passengerRows.length; start += INSERT_PAGE) {
        await tx.execute(insertByUnnest(manifestPassengers, passengerRows.slice(start, start + INSERT_PAGE)));
      }
      await recordAudit(tx, {
        actor,
        action: 'manifest.received',
        targetType: 'manifest',
        targetId: id,
        after: { format: mapped.format, messages: mapped.messages, flights: mapped.flights.length, passengers: passengerRows.length, toScreen, withoutDocument, ignoredSegments: mapped.ignoredSegments },
        requestId,
      });
      await recordJobs(
        tx,
        [...chunks].sort((a, b) => a - b).map((chunk) => ({ name: MANIFEST_CHUNK_JOB, data: { manifestId: id, chunk } satisfies ManifestChunkJob, options: manifestChunkJobOptions })),
      );
      return row!;
    });
    outboxFor(deps).kick();
    return { manifest, replay: false };
  } catch (error) {
    if (isUniqueViolation(error)) {
      const winner = await stored(deps, mapped);
      if (winner) return { manifest: winner, replay: true };
    }
    throw error;
  }
}

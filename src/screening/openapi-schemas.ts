import { z } from 'zod';

const translated = z.object({ id: z.string(), en: z.string() }).meta({ id: 'Translated' });

export const ruleHitSchema = z
  .object({
    ruleId: z.string().meta({ example: 'destination.cambodia' }),
    weight: z.number(),
    mustReview: z.boolean(),
    title: translated,
    reason: translated.meta({ description: 'What an officer can tell the applicant' }),
    evidence: z.record(z.string(), z.unknown()).meta({ description: 'The fields the rule looked at, with their values' }),
  })
  .meta({ id: 'RuleHit' });

export const suppressedHitSchema = z
  .object({
    ruleId: z.string().meta({ example: 'trip.one-way-without-id-pmi' }),
    entryId: z.string().meta({ description: 'The allowlist entry' }),
    party: z.string().meta({ description: 'The verified party as the entry names it (identifiers masked)' }),
    validUntil: z.string().meta({ description: 'When the entry lapses (exclusive)' }),
    weight: z.number().meta({ description: 'The weight the hit would have added' }),
  })
  .meta({ id: 'SuppressedHit' });

export const decisionSchema = z
  .object({
    outcome: z.enum(['CLEAR', 'REVIEW', 'POSTPONE_RECOMMENDED']),
    score: z.number(),
    hits: z.array(ruleHitSchema),
    ruleSetVersion: z.string().meta({ example: 'rs-0123456789abcdef' }),
    suppressed: z
      .array(suppressedHitSchema)
      .optional()
      .meta({ description: 'Present when an allowlist entry in force at the receipt dropped a hit: which entry suppressed which rule' }),
  })
  .meta({ id: 'Decision' });

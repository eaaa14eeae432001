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

export const decisionSchema = z
  .object({
    outcome: z.enum(['CLEAR', 'REVIEW', 'POSTPONE_RECOMMENDED']),
    score: z.number(),
    hits: z.array(ruleHitSchema),
    ruleSetVersion: z.string().meta({ example: 'rs-0123456789abcdef' }),
  })
  .meta({ id: 'Decision' });

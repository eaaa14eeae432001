import { z } from 'zod';
import type { ApiRoute } from '../openapi/registry';
import { historyRecordKinds } from '../screening/subject';
import { applicationPersonParams, personParams, personReaders } from './routes';

const outcome = z.enum(['CLEAR', 'REVIEW', 'POSTPONE_RECOMMENDED']);
const record = z
  .object({
    of: z.enum(historyRecordKinds),
    officeCode: z.string(),
    at: z.string(),
    kind: z.enum(['departure', 'passport']),
    outcome: z.string().meta({ description: 'The screening outcome (applications) or the officer\'s action (postponed, clear, refer)' }),
    reasonCode: z.string().nullable(),
    applicationId: z.uuid().nullable().meta({ description: 'Null for another office\'s application when the caller is posted at one office' }),
  })
  .meta({ id: 'PersonRecord' });

const person = z
  .object({
    id: z.uuid(),
    keyKind: z.enum(['nik', 'passport', 'nameDob']).meta({ description: 'What the person key is: the NIK, else the passport number, else name + date of birth' }),
    fullName: z.string(),
    dateOfBirth: z.string(),
    officeCodes: z.array(z.string()),
    records: z.array(record).meta({ description: 'Every office, newest first' }),
    applications: z.array(
      z.object({
        id: z.uuid(),
        kind: z.enum(['departure', 'passport']),
        officeCode: z.string(),
        submittedAt: z.string(),
        outcome,
        score: z.number().int(),
        caseId: z.uuid().nullable(),
        caseState: z.string().nullable(),
        decisions: z.array(z.object({ id: z.uuid(), outcome, score: z.number().int(), ruleSetVersion: z.string(), trigger: z.string(), createdAt: z.string() })),
      }),
    ).meta({ description: 'The applications the caller may open, with their decisions' }),
    truncated: z.boolean(),
  })
  .meta({ id: 'Person' });

const tag = 'Persons';

export const personApi: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/v1/persons/:id',
    operationId: 'getPerson',
    tag,
    summary: 'A person\'s applications, decisions, postponements, referrals and clearances across offices (the id is opaque, never a NIK or passport number)',
    roles: personReaders,
    params: personParams,
    success: { status: 200, description: 'The person', schema: person },
    errors: [404],
  },
  {
    method: 'get',
    path: '/api/v1/applications/:id/person',
    operationId: 'getApplicationPerson',
    tag,
    summary: 'The person an application is about, with their history across offices',
    roles: personReaders,
    params: applicationPersonParams,
    success: { status: 200, description: 'The person', schema: person },
    errors: [404],
  },
];

import { z } from 'zod';
import type { ApiRoute } from '../openapi/registry';
import { officeParams, officeSettingsSchema } from './routes';

const officeSchema = z
  .object({
    code: z.string().meta({ example: 'TPI-CGK' }),
    name: z.string(),
    kind: z.enum(['checkpoint', 'passport_office', 'headquarters']),
    requiresPostponementApproval: z.boolean(),
    passportSlaHours: z.number().int().nullable(),
    noticeContact: z.string().nullable().meta({ description: "Printed on the applicant's notice" }),
  })
  .loose()
  .meta({ id: 'Office' });

export const officeApi: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/v1/offices',
    operationId: 'listOffices',
    tag: 'Offices',
    summary: 'Checkpoints (TPI), passport offices (KANIM) and headquarters',
    success: { status: 200, description: 'Every office', schema: z.object({ items: z.array(officeSchema) }) },
  },
  {
    method: 'patch',
    path: '/api/v1/offices/:code',
    operationId: 'updateOfficeSettings',
    tag: 'Offices',
    summary: "Change an office's review settings (four-eyes postponements, passport SLA, the notice's contact line); an office admin only their own office's (403 for another)",
    roles: ['admin'],
    params: officeParams,
    body: officeSettingsSchema,
    example: { requiresPostponementApproval: true },
    success: { status: 200, description: 'Updated office', schema: officeSchema },
    errors: [404],
  },
];

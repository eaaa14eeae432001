import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { applicationApi } from '../applications/openapi';
import { auditApi } from '../audit/openapi';
import { authApi } from '../auth/openapi';
import { healthApi, metricsApi } from '../health/openapi';
import { officeApi } from '../offices/openapi';
import { postponementApi } from '../postponements/openapi';
import { referralApi } from '../referrals/openapi';
import { reviewApi } from '../review/openapi';
import { rulesetApi } from '../rulesets/openapi';
import { watchlistApi } from '../watchlists/openapi';
import { subjectApi } from '../subjects';
import { allowlistApi } from '../allowlists/openapi';
import { linkApi } from '../links/openapi';
import { networkApi } from '../networks/openapi';
import { personApi } from '../persons/openapi';
import { batchApi } from '../batches/openapi';
import { webhookApi } from '../webhooks/openapi';
import { caseworkApi } from '../casework/openapi';
import { manifestApi } from '../manifests';
import { registerRoutes, type ApiRoute } from './registry';

/** Every documented endpoint, component by component. */
export const apiRoutes: readonly ApiRoute[] = [...healthApi, ...metricsApi, ...authApi, ...officeApi, ...applicationApi, ...reviewApi, ...caseworkApi, ...rulesetApi, ...postponementApi, ...referralApi, ...auditApi, ...watchlistApi, ...allowlistApi, ...linkApi, ...networkApi, ...personApi, ...subjectApi, ...batchApi, ...webhookApi, ...manifestApi];

let cached: ReturnType<OpenApiGeneratorV31['generateDocument']> | undefined;

/** The OpenAPI 3.1 document, generated from the zod schemas the routes validate with. */
export function openApiDocument() {
  if (cached) return cached;
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  registerRoutes(registry, apiRoutes);
  cached = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Saring API',
      version: '1.0.0',
      description:
        'Migrant departure risk screening for Indonesian immigration checkpoints and passport offices. ' +
        'Errors always have the shape { error: { code, message, details } }. Texts for applicants come in Bahasa Indonesia (id) and English (en).',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
  });
  return cached;
}

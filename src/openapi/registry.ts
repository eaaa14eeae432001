import { OpenAPIRegistry, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import type { Role } from '../auth/schema';

/** The error body every endpoint returns on failure. */
export const errorResponseSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'VALIDATION_FAILED' }),
      message: z.string().meta({ example: 'The request body is invalid' }),
      details: z.array(z.object({ path: z.string().optional(), message: z.string().optional() }).loose()).optional(),
    }),
  })
  .meta({ id: 'Error' });

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * One documented endpoint, written beside the component's routes with the same zod schemas the
 * routes validate with. `path` is in express form (`/api/v1/cases/:id`); `example` is checked
 * against `body` by the test suite.
 */
export interface ApiRoute {
  method: Method;
  path: string;
  /** Stable and unique (camelCase verbNoun): generated clients name their methods after it. */
  operationId: string;
  summary: string;
  tag: string;
  /** Roles allowed; omitted = any signed-in user; 'public' = no token needed. */
  roles?: readonly Role[] | 'public';
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  example?: unknown;
  /** Other content types the body may take (e.g. text/csv). */
  bodyContentTypes?: string[];
  /** A multipart/form-data body (file uploads), instead of JSON. */
  multipart?: z.ZodType;
  success: { status: number; description: string; schema?: z.ZodType; contentType?: string };
  /** Error statuses besides the ones every protected route has (400, 401, 403, 429). */
  errors?: number[];
}

const errorDescriptions: Record<number, string> = {
  400: 'Bad input: the details name each field path',
  401: 'Missing, expired or revoked token',
  403: 'Your role may not do this',
  404: 'Not found (or not visible from your office)',
  409: 'Conflicts with the current state',
  413: 'Body too large',
  415: 'Body is not JSON',
  422: 'Well-formed but inconsistent input',
  429: 'Too many requests',
  503: 'A dependency is unavailable; retry after the Retry-After seconds',
};

const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function toRouteConfig(route: ApiRoute): RouteConfig {
  const errorStatuses = new Set<number>([400, 503, ...(route.errors ?? [])]);
  if (route.roles !== 'public') [401, 403, 429].forEach((s) => errorStatuses.add(s));
  const responses: RouteConfig['responses'] = {
    [route.success.status]: {
      description: route.success.description,
      ...(route.success.schema || route.success.contentType
        ? { content: { [route.success.contentType ?? 'application/json']: { schema: route.success.schema ?? z.string() } } }
        : {}),
    },
  };
  for (const status of [...errorStatuses].sort()) {
    responses[status] = { description: errorDescriptions[status] ?? 'Error', content: { 'application/json': { schema: errorResponseSchema } } };
  }
  const roles = route.roles === 'public' ? 'No token needed.' : route.roles ? `Roles: ${route.roles.join(', ')}.` : 'Any signed-in user.';
  return {
    method: route.method,
    path: openApiPath(route.path),
    operationId: route.operationId,
    summary: route.summary,
    description: roles,
    tags: [route.tag],
    ...(route.roles === 'public' ? { security: [] } : {}),
    request: {
      ...(route.params ? { params: route.params } : {}),
      ...(route.query ? { query: route.query } : {}),
      ...(route.body
        ? {
            body: {
              required: true,
              content: Object.fromEntries(
                ['application/json', ...(route.bodyContentTypes ?? [])].map((type) => [
                  type,
                  type === 'application/json' ? { schema: route.body!, ...(route.example !== undefined ? { example: route.example } : {}) } : { schema: z.string() },
                ]),
              ),
            },
          }
        : route.multipart
          ? { body: { required: true, content: { 'multipart/form-data': { schema: route.multipart } } } }
          : route.bodyContentTypes
          ? { body: { required: true, content: Object.fromEntries(route.bodyContentTypes.map((type) => [type, { schema: z.string() }])) } }
          : {}),
    },
    responses,
  };
}

export function registerRoutes(registry: OpenAPIRegistry, routes: readonly ApiRoute[]): void {
  for (const route of routes) registry.registerPath(toRouteConfig(route));
}

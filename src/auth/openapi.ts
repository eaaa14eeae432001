import { z } from 'zod';
import type { ApiRoute } from '../openapi/registry';
import { changePasswordBodySchema, loginBodySchema, newUserBodySchema } from './routes';
import { roles } from './schema';

const userSchema = z
  .object({ id: z.uuid(), username: z.string(), displayName: z.string(), role: z.enum(roles), officeCode: z.string() })
  .meta({ id: 'User' });

export const authApi: ApiRoute[] = [
  {
    method: 'post',
    path: '/api/v1/auth/login',
    operationId: 'login',
    tag: 'Auth',
    summary: 'Sign in with username and password; returns a bearer token',
    roles: 'public',
    body: loginBodySchema,
    example: { username: 'petugas.cgk', password: 'a long passphrase' },
    success: {
      status: 200,
      description: 'Signed in',
      schema: z.object({ token: z.string(), tokenType: z.literal('Bearer'), expiresIn: z.number(), user: userSchema }),
    },
  },
  {
    method: 'get',
    path: '/api/v1/me',
    operationId: 'getMe',
    tag: 'Auth',
    summary: 'Who the token belongs to',
    success: { status: 200, description: 'The signed-in principal', schema: z.object({ principal: z.object({}).loose() }) },
  },
  {
    method: 'post',
    path: '/api/v1/auth/password',
    operationId: 'changePassword',
    tag: 'Auth',
    summary: "Change one's own password (revokes earlier tokens)",
    body: changePasswordBodySchema,
    example: { currentPassword: 'the old passphrase', newPassword: 'a new long passphrase' },
    success: { status: 204, description: 'Changed' },
  },
  {
    method: 'post',
    path: '/api/v1/auth/logout',
    operationId: 'logout',
    tag: 'Auth',
    summary: 'Sign out: the token used for this call stops working at once',
    success: { status: 204, description: 'Signed out' },
  },
  {
    method: 'post',
    path: '/api/v1/users',
    operationId: 'createUser',
    tag: 'Auth',
    summary: 'Create a user account: a headquarters admin at any office; an office admin only at their own office, never with more reach than their own (403)',
    roles: ['admin'],
    body: newUserBodySchema,
    example: { username: 'petugas.cgk', displayName: 'Petugas Soekarno-Hatta', password: 'a long passphrase', role: 'officer', officeCode: 'TPI-CGK' },
    success: { status: 201, description: 'Created', schema: userSchema },
    errors: [409, 422],
  },
];

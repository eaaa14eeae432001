/** Every component's tables, gathered for drizzle's typed query builder and drizzle-kit. */
export * from '../offices/schema';
export * from '../auth/schema';
export * from '../audit/schema';
export * from '../applications/schema';
export * from '../review/schema';
export * from '../postponements/schema';
export * from '../rulesets/schema';
export * from '../jobs/schema';
export * from '../batches/schema';
export * from '../webhooks/schema';
export * from '../watchlists/schema';
export * from '../casework/schema';
export * from '../manifests/schema';
export * from '../networks/schema';
export * from '../persons/schema';
export * from '../referrals/schema';
export * from '../subjects/schema';

import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * A person's opaque id for URLs (never a NIK or passport number there), one per person key
 * (applications.person_key; see saring_person_key in migration 0025_person_key). A trigger on
 * applications adds the row in whichever statement stores the application.
 */
export const persons = pgTable('persons', {
  id: uuid('id').primaryKey().defaultRandom(),
  key: text('key').notNull().unique('persons_key_unique'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export type PersonRow = typeof persons.$inferSelect;

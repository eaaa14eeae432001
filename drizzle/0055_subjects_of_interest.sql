-- The subject-of-interest list (src/subjects): people an office has barred from re-applying for a period
-- (typically 6 months to 2 years), keyed by NIK, passport number or normalised name with date of birth.
-- Entries are revoked, never deleted, so decisions that cite them stay explainable; every change is
-- audited in its transaction. Screening matches an entry while its bar covers the application's receipt
-- (src/subjects/matching.ts, in the one context statement).
CREATE TABLE "subjects_of_interest" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"nik" text,
	"passport_number" text,
	"full_name" text,
	"date_of_birth" date,
	"name_key" text GENERATED ALWAYS AS (saring_name_key("full_name")) STORED,
	"reason" text NOT NULL,
	"source" text NOT NULL,
	"note" text,
	"bar_from" timestamp with time zone DEFAULT now() NOT NULL,
	"bar_until" timestamp with time zone NOT NULL,
	"office_code" text NOT NULL REFERENCES "offices"("code"),
	"postponement_id" uuid REFERENCES "postponements"("id"),
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" text,
	"revoke_reason" text,
	CONSTRAINT "subjects_of_interest_keyed" CHECK ("nik" IS NOT NULL OR "passport_number" IS NOT NULL OR ("name_key" IS NOT NULL AND "date_of_birth" IS NOT NULL)),
	CONSTRAINT "subjects_of_interest_bar" CHECK ("bar_until" > "bar_from")
);--> statement-breakpoint
CREATE INDEX "subjects_of_interest_nik_idx" ON "subjects_of_interest" USING btree ("nik") WHERE "nik" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "subjects_of_interest_passport_idx" ON "subjects_of_interest" USING btree ("passport_number") WHERE "passport_number" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "subjects_of_interest_name_dob_idx" ON "subjects_of_interest" USING btree ("name_key","date_of_birth") WHERE "name_key" IS NOT NULL AND "date_of_birth" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "subjects_of_interest_created_idx" ON "subjects_of_interest" USING btree ("created_at" DESC,"id" DESC);--> statement-breakpoint
CREATE INDEX "subjects_of_interest_office_created_idx" ON "subjects_of_interest" USING btree ("office_code","created_at" DESC,"id" DESC);

-- Allowlists: verified parties (a licensed placement agency, travel agency or crew agency, or a person
-- cleared after review) whose entry suppresses named rules while it is in force. Entries are national,
-- written by admins, never deleted and never edited: revocation keeps the row, so a replay of a stored
-- decision sees the entries it saw (in force at the receipt: created by then, valid around it, not
-- revoked by then).
CREATE TYPE "allowlist_party" AS ENUM('placement_agency', 'travel_agency', 'crew_agency', 'person');--> statement-breakpoint
CREATE TABLE "allowlist_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"party_type" "allowlist_party" NOT NULL,
	"name" text NOT NULL,
	"licence" text,
	"licence_key" text GENERATED ALWAYS AS (saring_licence_key("licence")) STORED,
	"nik" text,
	"passport_number" text,
	"suppresses" text[] NOT NULL,
	"source" text NOT NULL,
	"note" text,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_until" timestamp with time zone NOT NULL,
	"added_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" text,
	"revoke_reason" text,
	CONSTRAINT "allowlist_entries_valid_range" CHECK ("allowlist_entries"."valid_until" > "allowlist_entries"."valid_from"),
	CONSTRAINT "allowlist_entries_suppresses_rules" CHECK (cardinality("allowlist_entries"."suppresses") > 0),
	CONSTRAINT "allowlist_entries_identified" CHECK (
		("allowlist_entries"."party_type" = 'person' and "allowlist_entries"."licence" is null and ("allowlist_entries"."nik" is not null or "allowlist_entries"."passport_number" is not null))
		or ("allowlist_entries"."party_type" <> 'person' and "allowlist_entries"."licence_key" is not null and "allowlist_entries"."nik" is null and "allowlist_entries"."passport_number" is null))
);--> statement-breakpoint
CREATE INDEX "allowlist_entries_licence_idx" ON "allowlist_entries" USING btree ("party_type", "licence_key") WHERE "allowlist_entries"."licence_key" is not null;--> statement-breakpoint
CREATE INDEX "allowlist_entries_nik_idx" ON "allowlist_entries" USING btree ("nik") WHERE "allowlist_entries"."nik" is not null;--> statement-breakpoint
CREATE INDEX "allowlist_entries_passport_idx" ON "allowlist_entries" USING btree ("passport_number") WHERE "allowlist_entries"."passport_number" is not null;--> statement-breakpoint
CREATE INDEX "allowlist_entries_created_idx" ON "allowlist_entries" USING btree ("created_at" DESC, "id" DESC);--> statement-breakpoint
-- Which allowlist entry suppressed which rule of a decision (null when none did).
ALTER TABLE "decisions" ADD COLUMN "suppressed" jsonb;

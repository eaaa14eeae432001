-- Issue 23: referral to protection. A `refer` decision sends the traveller to an agency that protects
-- (never to a watchlist); the referral's status moves sent -> acknowledged -> closed with an outcome,
-- and every change is one row of history.
CREATE TYPE "referral_agency" AS ENUM ('kp2mi_bp3mi', 'lpsk', 'police_anti_trafficking', 'iom', 'social_services', 'embassy');--> statement-breakpoint
CREATE TYPE "referral_status" AS ENUM ('sent', 'acknowledged', 'closed');--> statement-breakpoint
CREATE TYPE "referral_outcome" AS ENUM ('assisted', 'returned_home', 'legal_process', 'declined_by_person', 'no_contact', 'other');--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "referrals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL REFERENCES "cases"("id") ON DELETE CASCADE,
	"application_id" uuid NOT NULL REFERENCES "applications"("id"),
	"office_code" text NOT NULL REFERENCES "offices"("code"),
	"agency" "referral_agency" NOT NULL,
	"agency_detail" text,
	"indicators" text[] DEFAULT '{}' NOT NULL,
	"reason_code" text NOT NULL,
	"details" text,
	"status" "referral_status" DEFAULT 'sent' NOT NULL,
	"outcome" "referral_outcome",
	"due_date" date NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"closed_at" timestamp with time zone
);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "referrals_office_status_idx" ON "referrals" ("office_code", "status", "due_date");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "referrals_created_idx" ON "referrals" ("created_at", "id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "referrals_application_idx" ON "referrals" ("application_id");--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "referral_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"referral_id" uuid NOT NULL REFERENCES "referrals"("id") ON DELETE CASCADE,
	"status" "referral_status" NOT NULL,
	"outcome" "referral_outcome",
	"note" text,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "referral_events_referral_idx" ON "referral_events" ("referral_id", "recorded_at");

-- Issue 23: the applicant's notice and re-review.
-- The office's contact line printed on every notice (address, telephone, e-mail), set by an admin.
ALTER TABLE "offices" ADD COLUMN IF NOT EXISTS "notice_contact" text;--> statement-breakpoint
-- Postponements and cases are never deleted in operation; the cascades below only keep a test's
-- clean-up (or a data-retention purge) from being blocked by these dependants.
-- One verification code per postponement notice, minted when it is first printed; reprints carry the
-- same code. The code is random (60 bits), not derived from the postponement, so it reveals nothing.
CREATE TABLE IF NOT EXISTS "postponement_notices" (
	"code" text PRIMARY KEY NOT NULL,
	"postponement_id" uuid NOT NULL REFERENCES "postponements"("id") ON DELETE CASCADE,
	"issued_by" text NOT NULL,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "postponement_notices_postponement_unique" UNIQUE ("postponement_id")
);--> statement-breakpoint
-- What a re-review concluded, appended as a follow-up like any other.
ALTER TYPE "follow_up_outcome" ADD VALUE IF NOT EXISTS 'lifted';--> statement-breakpoint
ALTER TYPE "follow_up_outcome" ADD VALUE IF NOT EXISTS 'upheld';--> statement-breakpoint
-- A re-review is a case in the office's queue linked to the postponement it reconsiders. An
-- application still has at most one screening case; it may have re-review cases besides, one open at a time.
ALTER TABLE "cases" ADD COLUMN IF NOT EXISTS "postponement_id" uuid REFERENCES "postponements"("id") ON DELETE CASCADE;--> statement-breakpoint
DROP INDEX IF EXISTS "cases_application_unique";--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "cases_application_unique" ON "cases" ("application_id") WHERE "postponement_id" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "cases_open_re_review_unique" ON "cases" ("postponement_id") WHERE "postponement_id" IS NOT NULL AND "state" <> 'decided';

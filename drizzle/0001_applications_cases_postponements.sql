CREATE TYPE "public"."application_kind" AS ENUM('departure', 'passport');--> statement-breakpoint
CREATE TYPE "public"."screening_outcome" AS ENUM('CLEAR', 'REVIEW', 'POSTPONE_RECOMMENDED');--> statement-breakpoint
CREATE TYPE "public"."case_action" AS ENUM('clear', 'postpone', 'refer');--> statement-breakpoint
CREATE TYPE "public"."case_state" AS ENUM('open', 'claimed', 'pending_approval', 'decided');--> statement-breakpoint
CREATE TYPE "public"."follow_up_outcome" AS ENUM('documents_completed', 'departed_procedurally', 'returned_home', 'referred', 'application_withdrawn', 'other');--> statement-breakpoint
CREATE TYPE "public"."postponement_kind" AS ENUM('departure', 'passport_issuance');--> statement-breakpoint
CREATE TYPE "public"."postponement_reason" AS ENUM('nonprocedural_migrant_worker', 'suspected_trafficking_victim', 'incomplete_documents', 'inconsistent_purpose', 'watchlist_match', 'other');--> statement-breakpoint
CREATE TABLE "applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "application_kind" NOT NULL,
	"office_code" text NOT NULL,
	"submitted_by" text NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"full_name" text NOT NULL,
	"nik" text NOT NULL,
	"passport_number" text,
	"date_of_birth" date NOT NULL,
	"destination_country" text NOT NULL,
	"departure_at" timestamp with time zone,
	"recruiter_phone" text,
	"sponsor_phone" text,
	"employer_name" text,
	"payload" jsonb NOT NULL,
	"outcome" "screening_outcome" NOT NULL,
	"score" integer NOT NULL,
	"rule_set_version" text NOT NULL,
	"idempotency_key" text,
	"request_hash" text
);
--> statement-breakpoint
CREATE TABLE "decisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"rule_set_version" text NOT NULL,
	"outcome" "screening_outcome" NOT NULL,
	"score" integer NOT NULL,
	"hits" jsonb NOT NULL,
	"trigger" text NOT NULL,
	"supersedes_decision_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"kind" "application_kind" NOT NULL,
	"office_code" text NOT NULL,
	"state" "case_state" DEFAULT 'open' NOT NULL,
	"outcome" "screening_outcome" NOT NULL,
	"score" integer NOT NULL,
	"priority_at" timestamp with time zone NOT NULL,
	"sla_due_at" timestamp with time zone NOT NULL,
	"escalated" boolean DEFAULT false NOT NULL,
	"escalated_at" timestamp with time zone,
	"assigned_to" text,
	"claimed_by" text,
	"claimed_at" timestamp with time zone,
	"lease_expires_at" timestamp with time zone,
	"action" "case_action",
	"reason_code" text,
	"note" text,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"approved_by" text,
	"approved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "postponement_follow_ups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"postponement_id" uuid NOT NULL,
	"outcome" "follow_up_outcome" NOT NULL,
	"note" text,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "postponements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "postponement_kind" NOT NULL,
	"application_id" uuid,
	"case_id" uuid,
	"office_code" text NOT NULL,
	"destination_country" text NOT NULL,
	"reason_code" "postponement_reason" NOT NULL,
	"note" text NOT NULL,
	"deadline" date,
	"decided_by" text NOT NULL,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_office_code_offices_code_fk" FOREIGN KEY ("office_code") REFERENCES "public"."offices"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_office_code_offices_code_fk" FOREIGN KEY ("office_code") REFERENCES "public"."offices"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "postponement_follow_ups" ADD CONSTRAINT "postponement_follow_ups_postponement_id_postponements_id_fk" FOREIGN KEY ("postponement_id") REFERENCES "public"."postponements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "postponements" ADD CONSTRAINT "postponements_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "postponements" ADD CONSTRAINT "postponements_office_code_offices_code_fk" FOREIGN KEY ("office_code") REFERENCES "public"."offices"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "applications_office_submitted_idx" ON "applications" USING btree ("office_code","submitted_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "applications_submitted_idx" ON "applications" USING btree ("submitted_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "applications_nik_idx" ON "applications" USING btree ("nik");--> statement-breakpoint
CREATE INDEX "applications_passport_number_idx" ON "applications" USING btree ("passport_number");--> statement-breakpoint
CREATE INDEX "applications_outcome_idx" ON "applications" USING btree ("outcome","submitted_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "applications_idempotency_unique" ON "applications" USING btree ("submitted_by","idempotency_key") WHERE "applications"."idempotency_key" is not null;--> statement-breakpoint
CREATE INDEX "decisions_application_idx" ON "decisions" USING btree ("application_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_application_unique" ON "cases" USING btree ("application_id");--> statement-breakpoint
CREATE INDEX "cases_queue_idx" ON "cases" USING btree ("office_code","state","priority_at");--> statement-breakpoint
CREATE INDEX "cases_sla_idx" ON "cases" USING btree ("state","sla_due_at");--> statement-breakpoint
CREATE INDEX "cases_claimed_by_idx" ON "cases" USING btree ("claimed_by");--> statement-breakpoint
CREATE INDEX "postponement_follow_ups_postponement_idx" ON "postponement_follow_ups" USING btree ("postponement_id","recorded_at");--> statement-breakpoint
CREATE INDEX "postponements_decided_idx" ON "postponements" USING btree ("decided_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "postponements_office_decided_idx" ON "postponements" USING btree ("office_code","decided_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "postponements_application_idx" ON "postponements" USING btree ("application_id");
CREATE TYPE "public"."rule_set_activation_action" AS ENUM('initial', 'publish', 'rollback');--> statement-breakpoint
CREATE TYPE "public"."rule_set_run_state" AS ENUM('queued', 'running', 'done', 'failed');--> statement-breakpoint
CREATE TABLE "rule_set_activations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"version" text NOT NULL,
	"previous_version" text,
	"action" "rule_set_activation_action" NOT NULL,
	"actor_id" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rule_set_backtests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"version" text NOT NULL,
	"baseline_version" text NOT NULL,
	"range_from" timestamp with time zone NOT NULL,
	"range_to" timestamp with time zone NOT NULL,
	"kind" "application_kind",
	"state" "rule_set_run_state" DEFAULT 'queued' NOT NULL,
	"trigger" text NOT NULL,
	"total" integer NOT NULL,
	"processed" integer DEFAULT 0 NOT NULL,
	"report" jsonb,
	"error" text,
	"requested_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "rule_set_rescreens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"version" text NOT NULL,
	"office_code" text,
	"kind" "application_kind",
	"state" "rule_set_run_state" DEFAULT 'queued' NOT NULL,
	"total" integer NOT NULL,
	"processed" integer DEFAULT 0 NOT NULL,
	"rescreened" integer DEFAULT 0 NOT NULL,
	"outcome_changed" integer DEFAULT 0 NOT NULL,
	"already_current" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"error" text,
	"requested_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "rule_sets" (
	"version" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"files" jsonb NOT NULL,
	"rule_count" integer NOT NULL,
	"source" text NOT NULL,
	"note" text,
	"tests" jsonb,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"first_published_at" timestamp with time zone,
	"fairness" jsonb,
	"fairness_backtest_id" uuid
);
--> statement-breakpoint
ALTER TABLE "rule_set_activations" ADD CONSTRAINT "rule_set_activations_version_rule_sets_version_fk" FOREIGN KEY ("version") REFERENCES "public"."rule_sets"("version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rule_set_backtests" ADD CONSTRAINT "rule_set_backtests_version_rule_sets_version_fk" FOREIGN KEY ("version") REFERENCES "public"."rule_sets"("version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rule_set_backtests" ADD CONSTRAINT "rule_set_backtests_baseline_version_rule_sets_version_fk" FOREIGN KEY ("baseline_version") REFERENCES "public"."rule_sets"("version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rule_set_rescreens" ADD CONSTRAINT "rule_set_rescreens_version_rule_sets_version_fk" FOREIGN KEY ("version") REFERENCES "public"."rule_sets"("version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "rule_set_backtests_version_idx" ON "rule_set_backtests" USING btree ("version","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "rule_set_rescreens_version_idx" ON "rule_set_rescreens" USING btree ("version","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "rule_sets_created_idx" ON "rule_sets" USING btree ("created_at" DESC NULLS LAST,"version" DESC NULLS LAST);
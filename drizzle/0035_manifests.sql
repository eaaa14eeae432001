ALTER TYPE "public"."user_role" ADD VALUE IF NOT EXISTS 'carrier';--> statement-breakpoint
CREATE TYPE "public"."manifest_state" AS ENUM('screening', 'completed');--> statement-breakpoint
CREATE TYPE "public"."manifest_passenger_status" AS ENUM('pending', 'screened', 'not_screened');--> statement-breakpoint
CREATE TABLE "manifests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"sender" text NOT NULL,
	"interchange_ref" text NOT NULL,
	"format" text NOT NULL,
	"office_code" text NOT NULL REFERENCES "offices"("code"),
	"submitted_by" text NOT NULL,
	"submitted_role" text NOT NULL,
	"request_id" text,
	"state" "manifest_state" DEFAULT 'screening' NOT NULL,
	"chunk_size" integer NOT NULL,
	"messages" integer NOT NULL,
	"passengers" integer NOT NULL,
	"to_screen" integer NOT NULL,
	"screened" integer DEFAULT 0 NOT NULL,
	"flagged" integer DEFAULT 0 NOT NULL,
	"without_document" integer NOT NULL,
	"ignored_segments" integer NOT NULL,
	"ignored_tags" text[] DEFAULT '{}' NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	"progress_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "manifests_interchange_unique" ON "manifests" ("sender", "interchange_ref");--> statement-breakpoint
CREATE INDEX "manifests_unfinished_idx" ON "manifests" ("progress_at") WHERE "state" <> 'completed';--> statement-breakpoint
CREATE TABLE "manifest_flights" (
	"id" uuid PRIMARY KEY NOT NULL,
	"manifest_id" uuid NOT NULL REFERENCES "manifests"("id"),
	"office_code" text NOT NULL REFERENCES "offices"("code"),
	"mode" text NOT NULL,
	"carrier" text,
	"flight_or_vessel" text NOT NULL,
	"departure_port" text NOT NULL,
	"arrival_port" text NOT NULL,
	"destination_country" text,
	"departure_at" timestamp with time zone NOT NULL,
	"departure_local" text NOT NULL,
	"arrival_at" timestamp with time zone,
	"message_refs" text[] NOT NULL
);
--> statement-breakpoint
CREATE INDEX "manifest_flights_office_departure_idx" ON "manifest_flights" ("office_code", "departure_at");--> statement-breakpoint
CREATE TABLE "manifest_passengers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"manifest_id" uuid NOT NULL REFERENCES "manifests"("id"),
	"flight_id" uuid NOT NULL REFERENCES "manifest_flights"("id"),
	"ordinal" integer NOT NULL,
	"status" "manifest_passenger_status" NOT NULL,
	"full_name" text NOT NULL,
	"nationality" text,
	"document_number" text,
	"without_document" boolean NOT NULL,
	"data" jsonb NOT NULL,
	"outcome" "screening_outcome",
	"score" integer,
	"hits" jsonb,
	"rule_set_version" text,
	"screened_at" timestamp with time zone,
	"departure_application_id" uuid REFERENCES "applications"("id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "manifest_passengers_ordinal_unique" ON "manifest_passengers" ("manifest_id", "ordinal");--> statement-breakpoint
CREATE INDEX "manifest_passengers_flight_idx" ON "manifest_passengers" ("flight_id");--> statement-breakpoint
CREATE INDEX "manifest_passengers_document_idx" ON "manifest_passengers" ("document_number") WHERE "document_number" IS NOT NULL;

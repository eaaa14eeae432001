CREATE TYPE "public"."watchlist_kind" AS ENUM('phone', 'agency', 'employer', 'address', 'person');--> statement-breakpoint
CREATE TABLE "watchlist_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"list" "watchlist_kind" NOT NULL,
	"name" text,
	"phone" text,
	"licence" text,
	"country" text,
	"city" text,
	"source" text NOT NULL,
	"note" text,
	"valid_from" timestamp with time zone DEFAULT now() NOT NULL,
	"valid_to" timestamp with time zone,
	"added_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" text,
	"revoke_reason" text,
	"name_key" text GENERATED ALWAYS AS (saring_name_key("name")) STORED,
	"licence_key" text GENERATED ALWAYS AS (saring_licence_key("licence")) STORED,
	CONSTRAINT "watchlist_entries_phone_list" CHECK (("watchlist_entries"."list" = 'phone') = ("watchlist_entries"."phone" is not null)),
	CONSTRAINT "watchlist_entries_named" CHECK ("watchlist_entries"."list" = 'phone' or "watchlist_entries"."name_key" is not null),
	CONSTRAINT "watchlist_entries_valid_range" CHECK ("watchlist_entries"."valid_to" is null or "watchlist_entries"."valid_to" > "watchlist_entries"."valid_from")
);
--> statement-breakpoint
CREATE INDEX "watchlist_entries_phone_idx" ON "watchlist_entries" USING btree ("phone") WHERE "watchlist_entries"."phone" is not null;--> statement-breakpoint
CREATE INDEX "watchlist_entries_licence_key_idx" ON "watchlist_entries" USING btree ("licence_key") WHERE "watchlist_entries"."licence_key" is not null;--> statement-breakpoint
CREATE INDEX "watchlist_entries_name_key_trgm_idx" ON "watchlist_entries" USING gin ("name_key" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "watchlist_entries_created_idx" ON "watchlist_entries" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "watchlist_entries_list_created_idx" ON "watchlist_entries" USING btree ("list","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "applications_recruiter_phone_link_idx" ON "applications" USING btree ("recruiter_phone",coalesce("departure_at", "submitted_at")) WHERE "applications"."recruiter_phone" is not null;--> statement-breakpoint
CREATE INDEX "applications_sponsor_phone_link_idx" ON "applications" USING btree ("sponsor_phone",coalesce("departure_at", "submitted_at")) WHERE "applications"."sponsor_phone" is not null;--> statement-breakpoint
CREATE INDEX "applications_employer_link_idx" ON "applications" USING btree (saring_name_key("employer_name"),coalesce("departure_at", "submitted_at")) WHERE saring_name_key("applications"."employer_name") is not null;--> statement-breakpoint
CREATE INDEX "applications_ticket_payer_link_idx" ON "applications" USING btree (saring_ticket_payer_key("payload"),coalesce("departure_at", "submitted_at")) WHERE saring_ticket_payer_key("applications"."payload") is not null;
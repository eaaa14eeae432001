-- Retroactive cluster alerts (issue 21): when a screening makes a `linked` rule fire, each earlier
-- member of the cluster is looked at again once for that growth. One row per (member, growth): the
-- unique key makes a repeated or concurrent job a no-op. Rows for members that could not be re-opened
-- (departed, or their case already decided by a person) are notifications for their office.
CREATE TABLE "cluster_alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_application_id" uuid NOT NULL,
	"trigger_application_id" uuid NOT NULL,
	"office_code" text NOT NULL,
	"result" text NOT NULL,
	"decision_id" uuid,
	"case_id" uuid,
	"evidence" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" text,
	CONSTRAINT "cluster_alerts_result" CHECK ("cluster_alerts"."result" in ('case_opened', 'case_open', 'still_clear', 'departed', 'decided'))
);
--> statement-breakpoint
ALTER TABLE "cluster_alerts" ADD CONSTRAINT "cluster_alerts_member_application_id_applications_id_fk" FOREIGN KEY ("member_application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cluster_alerts" ADD CONSTRAINT "cluster_alerts_trigger_application_id_applications_id_fk" FOREIGN KEY ("trigger_application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cluster_alerts" ADD CONSTRAINT "cluster_alerts_office_code_offices_code_fk" FOREIGN KEY ("office_code") REFERENCES "public"."offices"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "cluster_alerts_member_trigger_unique" ON "cluster_alerts" USING btree ("member_application_id","trigger_application_id");--> statement-breakpoint
CREATE INDEX "cluster_alerts_member_idx" ON "cluster_alerts" USING btree ("member_application_id","created_at");--> statement-breakpoint
CREATE INDEX "cluster_alerts_notifications_idx" ON "cluster_alerts" USING btree ("office_code","created_at" DESC NULLS LAST) WHERE "cluster_alerts"."result" in ('departed', 'decided');--> statement-breakpoint
-- A cluster decision is evaluated with the facts as of the screening that grew the cluster, not as
-- of the application's own receipt: kept so the decision can be explained and replayed.
ALTER TABLE "decisions" ADD COLUMN "context_as_of" timestamp with time zone;--> statement-breakpoint
-- cluster.alerted joins the actions captured as webhook events (0007_webhook_event_capture).
DROP TRIGGER "audit_log_webhook_events" ON "audit_log";--> statement-breakpoint
CREATE TRIGGER audit_log_webhook_events AFTER INSERT ON audit_log
  FOR EACH ROW
  WHEN (NEW.action IN ('case.opened', 'case.decided', 'case.approval_granted', 'postponement.recorded', 'cluster.alerted'))
  EXECUTE FUNCTION webhook_capture_event();

-- Case notes and evidence attachments (issue 24). Notes are append-only; attachments are never
-- deleted: a wrong or outdated file is superseded, with a reason, and stays readable.
CREATE TABLE "case_notes" (
  "id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
  "case_id" uuid NOT NULL REFERENCES "cases"("id"),
  "author_id" text NOT NULL,
  "author_role" text NOT NULL,
  "body" text NOT NULL CHECK (length("body") BETWEEN 1 AND 4000),
  "created_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
CREATE INDEX "case_notes_case_idx" ON "case_notes" ("case_id", "created_at", "id");--> statement-breakpoint
CREATE OR REPLACE FUNCTION case_notes_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'case notes are append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;--> statement-breakpoint
CREATE TRIGGER case_notes_append_only BEFORE UPDATE OR DELETE ON "case_notes"
  FOR EACH ROW EXECUTE FUNCTION case_notes_refuse_change();--> statement-breakpoint
CREATE TRIGGER case_notes_no_truncate BEFORE TRUNCATE ON "case_notes"
  FOR EACH STATEMENT EXECUTE FUNCTION case_notes_refuse_change();--> statement-breakpoint
CREATE TABLE "case_attachments" (
  "id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
  "case_id" uuid NOT NULL REFERENCES "cases"("id"),
  "kind" text NOT NULL CHECK ("kind" IN ('job_advert', 'chat_screenshot', 'employer_letter', 'ticket', 'other')),
  "file_name" text NOT NULL CHECK (length("file_name") BETWEEN 1 AND 200),
  "media_type" text NOT NULL,
  "size_bytes" integer NOT NULL CHECK ("size_bytes" > 0),
  "sha256" text NOT NULL CHECK ("sha256" ~ '^[0-9a-f]{64}$'),
  "storage" text NOT NULL CHECK ("storage" IN ('local', 's3')),
  "storage_key" text NOT NULL,
  "description" text CHECK (length("description") <= 500),
  "uploaded_by" text NOT NULL,
  "uploaded_by_role" text NOT NULL,
  "uploaded_at" timestamp with time zone DEFAULT now() NOT NULL,
  "superseded_by" uuid REFERENCES "case_attachments"("id"),
  "superseded_at" timestamp with time zone,
  "superseded_reason" text CHECK (length("superseded_reason") BETWEEN 1 AND 500),
  "superseded_by_user" text,
  CHECK (("superseded_at" IS NULL) = ("superseded_reason" IS NULL))
);--> statement-breakpoint
CREATE INDEX "case_attachments_case_idx" ON "case_attachments" ("case_id", "uploaded_at", "id");--> statement-breakpoint
-- Never deleted; the only change allowed is superseding a current attachment, once.
CREATE OR REPLACE FUNCTION case_attachments_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.superseded_at IS NULL AND NEW.superseded_at IS NOT NULL
     AND (to_jsonb(NEW) - ARRAY['superseded_by', 'superseded_at', 'superseded_reason', 'superseded_by_user'])
       = (to_jsonb(OLD) - ARRAY['superseded_by', 'superseded_at', 'superseded_reason', 'superseded_by_user']) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'case attachments are never deleted or changed, only superseded once (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;--> statement-breakpoint
CREATE TRIGGER case_attachments_guard BEFORE UPDATE OR DELETE ON "case_attachments"
  FOR EACH ROW EXECUTE FUNCTION case_attachments_guard();--> statement-breakpoint
CREATE TRIGGER case_attachments_no_truncate BEFORE TRUNCATE ON "case_attachments"
  FOR EACH STATEMENT EXECUTE FUNCTION case_notes_refuse_change();

-- Issue 23: a postponement stops a citizen from travelling, so by default it needs a second
-- person's approval at every office. New offices get the new default; existing offices whose
-- setting nobody ever changed (no office.settings_changed audit record naming it) get it too, and
-- each such change is audited. Offices where an admin chose a value keep their choice.
ALTER TABLE "offices" ALTER COLUMN "requires_postponement_approval" SET DEFAULT true;--> statement-breakpoint
WITH never_changed AS (
  SELECT o.code FROM "offices" o
  WHERE o.requires_postponement_approval = false
    AND NOT EXISTS (
      SELECT 1 FROM "audit_log" a
      WHERE a.action = 'office.settings_changed' AND a.target_type = 'office' AND a.target_id = o.code
        AND a.after ? 'requiresPostponementApproval'
    )
), switched AS (
  UPDATE "offices" o SET requires_postponement_approval = true FROM never_changed n WHERE o.code = n.code RETURNING o.code
)
INSERT INTO "audit_log" (actor_id, actor_role, office_code, action, target_type, target_id, before, after)
SELECT NULL, 'system', s.code, 'office.settings_changed', 'office', s.code,
       '{"requiresPostponementApproval": false}'::jsonb,
       '{"requiresPostponementApproval": true, "by": "migration 0040_four_eyes_by_default"}'::jsonb
FROM switched s;--> statement-breakpoint
-- Who approved a postponement, and when; null where it took effect without a second person.
ALTER TABLE "postponements" ADD COLUMN IF NOT EXISTS "approved_by" text;--> statement-breakpoint
ALTER TABLE "postponements" ADD COLUMN IF NOT EXISTS "approved_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "postponements_approved_by_idx" ON "postponements" ("approved_by", "decided_at" DESC) WHERE "approved_by" IS NOT NULL;

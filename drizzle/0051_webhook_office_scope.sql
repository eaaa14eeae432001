-- Issue 19: webhook subscriptions belong to an office. An office admin's subscription receives only
-- its office's events; a headquarters admin's (office_code null) receives every office's.
ALTER TABLE "webhook_subscriptions" ADD COLUMN IF NOT EXISTS "office_code" text REFERENCES "offices"("code");--> statement-breakpoint
-- Existing subscriptions take their creator's scope: made by an admin posted at an office that is not
-- headquarters, they now receive only that office's events; made at headquarters, they stay national.
-- The creator's office is read from the account, or, for an account Saring does not hold (a token
-- from an external identity provider), from the audit record of the subscription's creation. Each
-- subscription narrowed is audited, as an admin's change would be.
WITH creator_office AS (
  SELECT s.id,
         coalesce(
           (SELECT u.office_code FROM "users" u WHERE u.id::text = s.created_by),
           (SELECT a.office_code FROM "audit_log" a
             WHERE a.action = 'webhook.created' AND a.target_type = 'webhook' AND a.target_id = s.id::text
             ORDER BY a.id LIMIT 1)
         ) AS office_code
  FROM "webhook_subscriptions" s
  WHERE s.office_code IS NULL
), narrowed AS (
  UPDATE "webhook_subscriptions" s SET office_code = c.office_code, updated_at = now()
  FROM creator_office c JOIN "offices" o ON o.code = c.office_code
  WHERE s.id = c.id AND o.kind <> 'headquarters'
  RETURNING s.id, s.office_code
)
INSERT INTO "audit_log" (actor_id, actor_role, office_code, action, target_type, target_id, before, after)
SELECT NULL, 'system', n.office_code, 'webhook.updated', 'webhook', n.id::text,
       '{"officeCode": null}'::jsonb,
       jsonb_build_object('officeCode', n.office_code, 'by', 'migration 0051_webhook_office_scope')
FROM narrowed n;

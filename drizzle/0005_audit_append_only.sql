-- The audit trail is append-only: any UPDATE, DELETE or TRUNCATE of audit_log raises, whoever runs it.
-- A table owner or superuser can still bypass this deliberately (ALTER TABLE audit_log DISABLE TRIGGER ...,
-- SET session_replication_role = replica, or DROP); the hash chain is what makes such edits evident:
-- GET /api/v1/audit/verify reports the first record whose contents or link no longer match.
CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege', HINT = 'Audit records are never changed or removed; append a new record instead.';
END;
$$;--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

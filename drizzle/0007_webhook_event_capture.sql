-- Webhook events are captured in the transaction of the change itself: every audit record of an
-- action subscribers can receive writes a webhook_events row beside it (a transactional outbox), so
-- an event exists exactly when its change committed, and a dispatcher fans it out later whatever
-- Redis is doing. Nothing is captured while no subscription is active.
CREATE OR REPLACE FUNCTION webhook_capture_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM webhook_subscriptions WHERE active AND deleted_at IS NULL) THEN
    INSERT INTO webhook_events (audit_id, action) VALUES (NEW.id, NEW.action);
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER audit_log_webhook_events AFTER INSERT ON audit_log
  FOR EACH ROW
  WHEN (NEW.action IN ('case.opened', 'case.decided', 'case.approval_granted', 'postponement.recorded'))
  EXECUTE FUNCTION webhook_capture_event();

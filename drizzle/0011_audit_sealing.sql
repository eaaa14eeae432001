-- Audit records used to be hash-chained in line, under one advisory lock held from a transaction's
-- first audit record to its commit: every writing request in the system queued behind it (about 140
-- screenings a second at best). Now a record is inserted unchained in its own transaction, and one
-- sealer at a time (src/audit/sealer.ts) chains committed records into audit_seals shortly after, in
-- the order it finds them. A record is either chained in line (hash set, written before this
-- migration), sealed, or waiting in audit_unsealed; GET /audit/verify reports any record that is none.
CREATE TABLE "audit_seals" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"audit_id" bigint NOT NULL,
	"sealed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_unsealed" (
	"audit_id" bigint PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "audit_seals_audit_id_unique" ON "audit_seals" USING btree ("audit_id");--> statement-breakpoint
-- Every new audit record is queued for sealing in the transaction that writes it, however it is
-- written. One statement-level trigger per insert, so a multi-row insert (a batch chunk) costs one.
CREATE OR REPLACE FUNCTION audit_log_queue_for_sealing() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit_unsealed (audit_id) SELECT id FROM inserted WHERE hash IS NULL;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER audit_log_queue_for_sealing AFTER INSERT ON audit_log
  REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_queue_for_sealing();--> statement-breakpoint
-- Seals are append-only too. The refusal names the table it guards.
CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege', HINT = 'Audit records are never changed or removed; append a new record instead.';
END;
$$;--> statement-breakpoint
CREATE TRIGGER audit_seals_append_only BEFORE UPDATE OR DELETE ON audit_seals
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();--> statement-breakpoint
CREATE TRIGGER audit_seals_no_truncate BEFORE TRUNCATE ON audit_seals
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();--> statement-breakpoint
-- Records from before in-line chaining (migration 0004) had no hash: seal them too.
INSERT INTO audit_unsealed (audit_id) SELECT id FROM audit_log WHERE hash IS NULL;

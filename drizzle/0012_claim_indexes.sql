-- Claimed cases stay in the claim-order index of 0010 (a lapsed lease makes a case claimable again),
-- so every claim walked past all live claims before reaching an open case: with 50,000 claimed, a
-- claim read 50,000 index entries and the queue slowed as it drained. Open cases and lapsed claims
-- are now found through separate indexes (src/review/claims.ts claimNextCase takes the better of
-- the first of each).
DROP INDEX IF EXISTS "cases_claim_order_idx";--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_open_claim_order_idx" ON "cases" (
  "office_code",
  ("assigned_to" IS NOT NULL) DESC,
  ("kind" = 'departure') DESC,
  "priority_at",
  ("outcome" = 'POSTPONE_RECOMMENDED') DESC,
  "score" DESC,
  "created_at",
  "id"
) WHERE "state" = 'open';--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_lapsing_claims_idx" ON "cases" ("office_code", "lease_expires_at") WHERE "state" = 'claimed';

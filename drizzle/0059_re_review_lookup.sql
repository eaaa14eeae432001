-- The case page lists a postponement's re-reviews (issue 23): find them by postponement without
-- scanning the queue. Decided re-reviews are outside cases_open_re_review_unique.
CREATE INDEX IF NOT EXISTS "cases_re_review_idx" ON "cases" ("postponement_id") WHERE "postponement_id" IS NOT NULL;

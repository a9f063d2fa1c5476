-- Partial jobs (issue 14, item 17): reused items kept apart from the rate, retries counted, failed items listed by kind.
ALTER TABLE "Job" ADD COLUMN "reusedCount" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Job" ADD COLUMN "retryCount" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Job" ADD COLUMN "itemRetryCount" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Job" ADD COLUMN "failures" JSONB;

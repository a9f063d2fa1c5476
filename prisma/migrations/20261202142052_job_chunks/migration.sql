-- Generation over many workers (issue 15, item 3): a job split into chunks that workers claim
-- one at a time, and a concurrency semaphore (lease rows) that holds a teacher's limit across workers.
ALTER TABLE "Job" ADD COLUMN "chunkCount" INTEGER NOT NULL DEFAULT 0;

CREATE TYPE "JobChunkStatus" AS ENUM ('PENDING', 'RUNNING', 'DONE');

CREATE TABLE "JobChunk" (
    "jobId" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "JobChunkStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lockedBy" TEXT,
    "leaseExpiresAt" TIMESTAMP(3),
    "doneCount" INTEGER NOT NULL DEFAULT 0,
    "errorCount" INTEGER NOT NULL DEFAULT 0,
    "retryCount" INTEGER NOT NULL DEFAULT 0,
    "itemRetryCount" INTEGER NOT NULL DEFAULT 0,
    "failures" JSONB,
    "lastError" TEXT,

    CONSTRAINT "JobChunk_pkey" PRIMARY KEY ("jobId","seq")
);

CREATE INDEX "JobChunk_status_leaseExpiresAt_idx" ON "JobChunk"("status", "leaseExpiresAt");

ALTER TABLE "JobChunk" ADD CONSTRAINT "JobChunk_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "Job"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "ConcurrencySlot" (
    "key" TEXT NOT NULL,
    "slot" INTEGER NOT NULL,
    "holder" TEXT,
    "leaseExpiresAt" TIMESTAMP(3),

    CONSTRAINT "ConcurrencySlot_pkey" PRIMARY KEY ("key","slot")
);

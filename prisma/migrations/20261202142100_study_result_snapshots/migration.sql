-- Stored results (issue 12, item 8): a study's results computed by the worker when its ratings change
-- and read by views; jobs coalesce by key and can wait (debounce).
ALTER TABLE "Job" ADD COLUMN "dedupeKey" TEXT, ADD COLUMN "runAfter" TIMESTAMP(3);
CREATE UNIQUE INDEX "Job_dedupeKey_key" ON "Job"("dedupeKey");

ALTER TABLE "Study" ADD COLUMN "resultsChangedAt" TIMESTAMP(3);

CREATE TABLE "StudyResultSnapshot" (
    "studyId" UUID NOT NULL,
    "scale" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "ratingsCount" INTEGER NOT NULL,
    "lastRatingAt" TIMESTAMP(3),
    "inputsAt" TIMESTAMP(3) NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StudyResultSnapshot_pkey" PRIMARY KEY ("studyId", "scale")
);
ALTER TABLE "StudyResultSnapshot" ADD CONSTRAINT "StudyResultSnapshot_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The shape and wording version of a stored StudyResults (RESULTS_FORMAT in lib/results/stored-results.ts).
-- Snapshots stored before versions existed get 0, so a view treats them as missing and recomputes.
ALTER TABLE "StudyResultSnapshot" ADD COLUMN "format" INTEGER NOT NULL DEFAULT 0;

-- Eval set import progress in the database (issue 15, item 3), so the upload page's progress bar
-- reads it from any web process, not only the one running the import.
CREATE TABLE "EvalSetImport" (
    "id" UUID NOT NULL,
    "actorId" UUID NOT NULL,
    "phase" TEXT NOT NULL,
    "done" INTEGER NOT NULL,
    "total" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EvalSetImport_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "EvalSetImport_updatedAt_idx" ON "EvalSetImport"("updatedAt");

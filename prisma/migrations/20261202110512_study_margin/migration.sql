-- A study states its non-inferiority margin (relative); 5% unless the researcher says otherwise.
ALTER TABLE "Study" ADD COLUMN "nonInferiorityMargin" DOUBLE PRECISION NOT NULL DEFAULT 0.05;

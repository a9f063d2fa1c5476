-- Student CPU time per paraphrase (cost beside size and speed)
ALTER TABLE "Output" ADD COLUMN "cpuMs" DOUBLE PRECISION;

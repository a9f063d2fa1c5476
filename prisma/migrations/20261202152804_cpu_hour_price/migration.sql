-- A price per CPU-hour for students that run here (ONNX): their cost per 1,000 paraphrases comes from the
-- CPU time recorded on their outputs (Output.cpuMs). Null until an admin sets it.
ALTER TABLE "System" ADD COLUMN "pricePerCpuHour" DOUBLE PRECISION;

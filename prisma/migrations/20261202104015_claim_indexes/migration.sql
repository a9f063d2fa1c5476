-- The claim walks open pairs from the fullest down in one index, so its cost does not grow with
-- the number of pairs in a study (lib/annotation/claim-sql.ts).
CREATE INDEX "Pair_studyId_takenCount_shuffleKey_idx" ON "Pair"("studyId", "takenCount", "shuffleKey");

-- Lease expiry reads only the ACTIVE assignments whose lease ran out.
CREATE INDEX "Assignment_status_leaseExpiresAt_idx" ON "Assignment"("status", "leaseExpiresAt");

-- Generation asks, for each item of a chunk, whether it already has outputs of this system and
-- settings. The index on "systemId" alone let the planner answer that by scanning every output of
-- the system once per item whenever its statistics said the system had few outputs (always so for
-- a new teacher, whose job is the one writing them): a cost per chunk that grows with the job.
-- With (systemId, settingsKey, itemId) either index the planner picks is one probe per item, and
-- queries by system alone still use this one's first column.
DROP INDEX "Output_systemId_idx";
CREATE INDEX "Output_systemId_settingsKey_itemId_idx" ON "Output"("systemId", "settingsKey", "itemId");

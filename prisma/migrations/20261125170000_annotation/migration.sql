-- Annotation: the teacher's output settings per study, the text shown in gold and attention
-- pairs, and the two counters the claim statement checks on rows it has locked.

-- AlterTable
ALTER TABLE "Study" ADD COLUMN "teacherSettingsKey" TEXT;

-- AlterTable
ALTER TABLE "StudyParticipant" ADD COLUMN "claimedCount" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Pair" ADD COLUMN "shownText" TEXT,
ADD COLUMN "takenCount" INTEGER NOT NULL DEFAULT 0;

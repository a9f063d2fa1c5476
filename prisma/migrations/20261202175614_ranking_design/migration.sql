-- A study design (README "Study designs"): PAIRWISE as before, or RANKING, where one annotator
-- sees the teacher's and every student's text for one source on one screen, rates and ranks them.
CREATE TYPE "StudyDesign" AS ENUM ('PAIRWISE', 'RANKING');
ALTER TABLE "Study" ADD COLUMN "design" "StudyDesign" NOT NULL DEFAULT 'PAIRWISE';

-- One screen of a RANKING study; its assignments (one per pair) carry the claim and the Ratings.
CREATE TABLE "RankingScreen" (
    "id" UUID NOT NULL,
    "studyId" UUID NOT NULL,
    "itemId" UUID NOT NULL,
    "annotatorId" UUID NOT NULL,
    "shownOrder" JSONB NOT NULL,
    "ranks" JSONB,
    "scores" JSONB,
    "submittedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RankingScreen_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "RankingScreen_studyId_idx" ON "RankingScreen"("studyId");
CREATE INDEX "RankingScreen_annotatorId_idx" ON "RankingScreen"("annotatorId");
ALTER TABLE "RankingScreen" ADD CONSTRAINT "RankingScreen_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "RankingScreen" ADD CONSTRAINT "RankingScreen_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "EvalItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "RankingScreen" ADD CONSTRAINT "RankingScreen_annotatorId_fkey" FOREIGN KEY ("annotatorId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "Assignment" ADD COLUMN "screenId" UUID;
CREATE INDEX "Assignment_screenId_idx" ON "Assignment"("screenId");
ALTER TABLE "Assignment" ADD CONSTRAINT "Assignment_screenId_fkey" FOREIGN KEY ("screenId") REFERENCES "RankingScreen"("id") ON DELETE CASCADE ON UPDATE CASCADE;

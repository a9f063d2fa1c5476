-- External (crowd) participants: a public study link, consent, comprehension check, completion codes.
ALTER TABLE "Study" ADD COLUMN "crowdSettings" JSONB, ADD COLUMN "crowdToken" TEXT;
CREATE UNIQUE INDEX "Study_crowdToken_key" ON "Study"("crowdToken");

CREATE TYPE "CrowdStage" AS ENUM ('CONSENT', 'INSTRUCTIONS', 'CHECK', 'ITEMS', 'COMPLETED', 'RETURNED', 'SCREENED_OUT', 'DECLINED');

CREATE TABLE "CrowdParticipant" (
    "id" UUID NOT NULL,
    "studyId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "platform" TEXT NOT NULL,
    "platformId" TEXT NOT NULL,
    "platformStudyId" TEXT,
    "platformSessionId" TEXT,
    "stage" "CrowdStage" NOT NULL DEFAULT 'CONSENT',
    "checkFailures" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),
    CONSTRAINT "CrowdParticipant_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "CrowdParticipant_userId_key" ON "CrowdParticipant"("userId");
CREATE UNIQUE INDEX "CrowdParticipant_studyId_platform_platformId_key" ON "CrowdParticipant"("studyId", "platform", "platformId");
ALTER TABLE "CrowdParticipant" ADD CONSTRAINT "CrowdParticipant_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "CrowdParticipant" ADD CONSTRAINT "CrowdParticipant_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

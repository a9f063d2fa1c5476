-- CreateEnum
CREATE TYPE "Role" AS ENUM ('ADMIN', 'RESEARCHER', 'ANNOTATOR');

-- CreateEnum
CREATE TYPE "SystemRole" AS ENUM ('TEACHER', 'STUDENT');

-- CreateEnum
CREATE TYPE "SystemKind" AS ENUM ('LLM_API', 'ONNX_MODEL', 'EXTERNAL');

-- CreateEnum
CREATE TYPE "JobStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "StudyStatus" AS ENUM ('DRAFT', 'LIVE', 'PAUSED', 'CLOSED');

-- CreateEnum
CREATE TYPE "PairKind" AS ENUM ('REGULAR', 'GOLD', 'ATTENTION');

-- CreateEnum
CREATE TYPE "AssignmentStatus" AS ENUM ('ACTIVE', 'SUBMITTED', 'SKIPPED', 'FLAGGED', 'EXPIRED');

-- CreateEnum
CREATE TYPE "Preference" AS ENUM ('LEFT', 'TIE', 'RIGHT');

-- CreateTable
CREATE TABLE "User" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "passwordHash" TEXT,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "pseudonym" TEXT NOT NULL,
    "lastSignInAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Invitation" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdById" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Invitation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SignInAttempt" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "ipAddress" TEXT NOT NULL,
    "succeeded" BOOLEAN NOT NULL,
    "attemptedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SignInAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvalSet" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "sourceFilename" TEXT,
    "isDemo" BOOLEAN NOT NULL DEFAULT false,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EvalSet_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvalItem" (
    "id" UUID NOT NULL,
    "evalSetId" UUID NOT NULL,
    "externalId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "references" TEXT[],
    "metadata" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "EvalItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "System" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "role" "SystemRole" NOT NULL,
    "kind" "SystemKind" NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "baseUrl" TEXT,
    "modelName" TEXT,
    "apiKeyEnv" TEXT,
    "promptTemplate" TEXT,
    "modelDir" TEXT,
    "parameterCount" BIGINT,
    "sizeOnDiskBytes" BIGINT,
    "defaultSettings" JSONB NOT NULL DEFAULT '{}',
    "maxConcurrency" INTEGER NOT NULL DEFAULT 4,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "System_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Output" (
    "id" UUID NOT NULL,
    "itemId" UUID NOT NULL,
    "systemId" UUID NOT NULL,
    "settingsKey" TEXT NOT NULL,
    "settings" JSONB NOT NULL,
    "rank" INTEGER NOT NULL DEFAULT 0,
    "text" TEXT NOT NULL,
    "latencyMs" DOUBLE PRECISION,
    "promptTokens" INTEGER,
    "completionTokens" INTEGER,
    "rawReply" TEXT,
    "jobId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Output_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Job" (
    "id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "JobStatus" NOT NULL DEFAULT 'QUEUED',
    "progressDone" INTEGER NOT NULL DEFAULT 0,
    "progressTotal" INTEGER NOT NULL DEFAULT 0,
    "errorCount" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lockedBy" TEXT,
    "leaseExpiresAt" TIMESTAMP(3),
    "cancelRequestedAt" TIMESTAMP(3),
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Study" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "status" "StudyStatus" NOT NULL DEFAULT 'DRAFT',
    "evalSetId" UUID NOT NULL,
    "teacherSystemId" UUID NOT NULL,
    "annotatorsPerPair" INTEGER NOT NULL DEFAULT 3,
    "maxPairsPerAnnotator" INTEGER,
    "goldShare" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "attentionShare" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "minGoldAccuracy" DOUBLE PRECISION,
    "leaseMinutes" INTEGER NOT NULL DEFAULT 30,
    "isDemo" BOOLEAN NOT NULL DEFAULT false,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "launchedAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "Study_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StudySystem" (
    "studyId" UUID NOT NULL,
    "systemId" UUID NOT NULL,
    "settingsKey" TEXT NOT NULL,

    CONSTRAINT "StudySystem_pkey" PRIMARY KEY ("studyId", "systemId")
);

-- CreateTable
CREATE TABLE "StudyParticipant" (
    "studyId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "isPaused" BOOLEAN NOT NULL DEFAULT false,
    "pausedReason" TEXT,
    "pausedAt" TIMESTAMP(3),

    CONSTRAINT "StudyParticipant_pkey" PRIMARY KEY ("studyId", "userId")
);

-- CreateTable
CREATE TABLE "InstructionsVersion" (
    "id" UUID NOT NULL,
    "studyId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "markdown" TEXT NOT NULL,
    "criteria" JSONB NOT NULL,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InstructionsVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InstructionsAcknowledgement" (
    "userId" UUID NOT NULL,
    "instructionsVersionId" UUID NOT NULL,
    "acknowledgedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InstructionsAcknowledgement_pkey" PRIMARY KEY ("userId", "instructionsVersionId")
);

-- CreateTable
CREATE TABLE "Pair" (
    "id" UUID NOT NULL,
    "studyId" UUID NOT NULL,
    "itemId" UUID NOT NULL,
    "teacherOutputId" UUID NOT NULL,
    "studentOutputId" UUID NOT NULL,
    "studentSystemId" UUID NOT NULL,
    "kind" "PairKind" NOT NULL DEFAULT 'REGULAR',
    "expected" JSONB,
    "shuffleKey" DOUBLE PRECISION NOT NULL DEFAULT random(),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Pair_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Assignment" (
    "id" UUID NOT NULL,
    "pairId" UUID NOT NULL,
    "annotatorId" UUID NOT NULL,
    "status" "AssignmentStatus" NOT NULL DEFAULT 'ACTIVE',
    "teacherOnLeft" BOOLEAN NOT NULL,
    "leaseExpiresAt" TIMESTAMP(3) NOT NULL,
    "claimedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "reason" TEXT,

    CONSTRAINT "Assignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Rating" (
    "id" UUID NOT NULL,
    "assignmentId" UUID NOT NULL,
    "studyId" UUID NOT NULL,
    "pairId" UUID NOT NULL,
    "annotatorId" UUID NOT NULL,
    "instructionsVersionId" UUID NOT NULL,
    "teacherOnLeft" BOOLEAN NOT NULL,
    "scores" JSONB NOT NULL,
    "preference" "Preference" NOT NULL,
    "activeMs" INTEGER NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "isSimulated" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Rating_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JudgeRating" (
    "id" UUID NOT NULL,
    "studyId" UUID NOT NULL,
    "pairId" UUID NOT NULL,
    "judgeSystemId" UUID NOT NULL,
    "teacherOnLeft" BOOLEAN NOT NULL,
    "scores" JSONB NOT NULL,
    "preference" "Preference" NOT NULL,
    "rawReply" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JudgeRating_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "User_pseudonym_key" ON "User"("pseudonym");

-- CreateIndex
CREATE UNIQUE INDEX "Invitation_tokenHash_key" ON "Invitation"("tokenHash");

-- CreateIndex
CREATE INDEX "Invitation_email_idx" ON "Invitation"("email");

-- CreateIndex
CREATE INDEX "SignInAttempt_email_attemptedAt_idx" ON "SignInAttempt"("email", "attemptedAt");

-- CreateIndex
CREATE INDEX "SignInAttempt_ipAddress_attemptedAt_idx" ON "SignInAttempt"("ipAddress", "attemptedAt");

-- CreateIndex
CREATE UNIQUE INDEX "EvalSet_name_key" ON "EvalSet"("name");

-- CreateIndex
CREATE INDEX "EvalItem_evalSetId_position_idx" ON "EvalItem"("evalSetId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "EvalItem_evalSetId_externalId_key" ON "EvalItem"("evalSetId", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "System_name_key" ON "System"("name");

-- CreateIndex
CREATE INDEX "Output_systemId_idx" ON "Output"("systemId");

-- CreateIndex
CREATE UNIQUE INDEX "Output_itemId_systemId_settingsKey_rank_key" ON "Output"("itemId", "systemId", "settingsKey", "rank");

-- CreateIndex
CREATE INDEX "Job_status_createdAt_idx" ON "Job"("status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Study_name_key" ON "Study"("name");

-- CreateIndex
CREATE UNIQUE INDEX "InstructionsVersion_studyId_version_key" ON "InstructionsVersion"("studyId", "version");

-- CreateIndex
CREATE INDEX "Pair_studyId_idx" ON "Pair"("studyId");

-- CreateIndex
CREATE UNIQUE INDEX "Pair_studyId_itemId_studentSystemId_kind_key" ON "Pair"("studyId", "itemId", "studentSystemId", "kind");

-- CreateIndex
CREATE INDEX "Assignment_annotatorId_status_idx" ON "Assignment"("annotatorId", "status");

-- CreateIndex
CREATE INDEX "Assignment_pairId_status_idx" ON "Assignment"("pairId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Assignment_pairId_annotatorId_key" ON "Assignment"("pairId", "annotatorId");

-- CreateIndex
CREATE UNIQUE INDEX "Rating_assignmentId_key" ON "Rating"("assignmentId");

-- CreateIndex
CREATE INDEX "Rating_studyId_idx" ON "Rating"("studyId");

-- CreateIndex
CREATE INDEX "JudgeRating_studyId_idx" ON "JudgeRating"("studyId");

-- CreateIndex
CREATE UNIQUE INDEX "JudgeRating_pairId_judgeSystemId_teacherOnLeft_key" ON "JudgeRating"("pairId", "judgeSystemId", "teacherOnLeft");

-- AddForeignKey
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvalSet" ADD CONSTRAINT "EvalSet_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvalItem" ADD CONSTRAINT "EvalItem_evalSetId_fkey" FOREIGN KEY ("evalSetId") REFERENCES "EvalSet"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Output" ADD CONSTRAINT "Output_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "EvalItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Output" ADD CONSTRAINT "Output_systemId_fkey" FOREIGN KEY ("systemId") REFERENCES "System"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Output" ADD CONSTRAINT "Output_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "Job"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Job" ADD CONSTRAINT "Job_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Study" ADD CONSTRAINT "Study_evalSetId_fkey" FOREIGN KEY ("evalSetId") REFERENCES "EvalSet"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Study" ADD CONSTRAINT "Study_teacherSystemId_fkey" FOREIGN KEY ("teacherSystemId") REFERENCES "System"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Study" ADD CONSTRAINT "Study_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StudySystem" ADD CONSTRAINT "StudySystem_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StudySystem" ADD CONSTRAINT "StudySystem_systemId_fkey" FOREIGN KEY ("systemId") REFERENCES "System"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StudyParticipant" ADD CONSTRAINT "StudyParticipant_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StudyParticipant" ADD CONSTRAINT "StudyParticipant_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InstructionsVersion" ADD CONSTRAINT "InstructionsVersion_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InstructionsVersion" ADD CONSTRAINT "InstructionsVersion_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InstructionsAcknowledgement" ADD CONSTRAINT "InstructionsAcknowledgement_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InstructionsAcknowledgement" ADD CONSTRAINT "InstructionsAcknowledgement_instructionsVersionId_fkey" FOREIGN KEY ("instructionsVersionId") REFERENCES "InstructionsVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Pair" ADD CONSTRAINT "Pair_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Pair" ADD CONSTRAINT "Pair_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "EvalItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Pair" ADD CONSTRAINT "Pair_teacherOutputId_fkey" FOREIGN KEY ("teacherOutputId") REFERENCES "Output"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Pair" ADD CONSTRAINT "Pair_studentOutputId_fkey" FOREIGN KEY ("studentOutputId") REFERENCES "Output"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Pair" ADD CONSTRAINT "Pair_studentSystemId_fkey" FOREIGN KEY ("studentSystemId") REFERENCES "System"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Assignment" ADD CONSTRAINT "Assignment_pairId_fkey" FOREIGN KEY ("pairId") REFERENCES "Pair"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Assignment" ADD CONSTRAINT "Assignment_annotatorId_fkey" FOREIGN KEY ("annotatorId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Rating" ADD CONSTRAINT "Rating_assignmentId_fkey" FOREIGN KEY ("assignmentId") REFERENCES "Assignment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Rating" ADD CONSTRAINT "Rating_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Rating" ADD CONSTRAINT "Rating_pairId_fkey" FOREIGN KEY ("pairId") REFERENCES "Pair"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Rating" ADD CONSTRAINT "Rating_annotatorId_fkey" FOREIGN KEY ("annotatorId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Rating" ADD CONSTRAINT "Rating_instructionsVersionId_fkey" FOREIGN KEY ("instructionsVersionId") REFERENCES "InstructionsVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JudgeRating" ADD CONSTRAINT "JudgeRating_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JudgeRating" ADD CONSTRAINT "JudgeRating_pairId_fkey" FOREIGN KEY ("pairId") REFERENCES "Pair"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JudgeRating" ADD CONSTRAINT "JudgeRating_judgeSystemId_fkey" FOREIGN KEY ("judgeSystemId") REFERENCES "System"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

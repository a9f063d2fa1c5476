-- Study ownership: collaborators the owner lets read or manage a study.
CREATE TYPE "StudyAccess" AS ENUM ('READ', 'MANAGE');

CREATE TABLE "StudyCollaborator" (
    "studyId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "access" "StudyAccess" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StudyCollaborator_pkey" PRIMARY KEY ("studyId", "userId")
);
CREATE INDEX "StudyCollaborator_userId_idx" ON "StudyCollaborator"("userId");
ALTER TABLE "StudyCollaborator" ADD CONSTRAINT "StudyCollaborator_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "StudyCollaborator" ADD CONSTRAINT "StudyCollaborator_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Audit trail: one row per change, written in the change's own transaction.
CREATE TABLE "AuditEvent" (
    "id" UUID NOT NULL,
    "actorId" UUID,
    "action" TEXT NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "AuditEvent_entityType_entityId_createdAt_idx" ON "AuditEvent"("entityType", "entityId", "createdAt");
CREATE INDEX "AuditEvent_createdAt_idx" ON "AuditEvent"("createdAt");
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

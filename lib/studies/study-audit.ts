import type { Actor } from "@/lib/auth/permissions";
import { auditEventsFor, recordAudit, type AuditEventView } from "@/lib/audit";
import { prisma, type DbOrTx } from "@/lib/db";
import { requireStudyAccess } from "./study-access";

/** A study's trail (launch, pause, settings, participants, collaborators, exports): its owner and admins. */
export async function getStudyAuditTrail(
  actor: Actor | null,
  studyId: string,
  db: DbOrTx = prisma,
): Promise<AuditEventView[]> {
  await requireStudyAccess(actor, studyId, "audit", db);
  return auditEventsFor({ entityType: "study", entityId: studyId }, db);
}

/** The newest `last` events of a study's trail (default 50), newest first: the study page's "Audit trail". */
export async function getRecentStudyAudit(
  actor: Actor | null,
  studyId: string,
  last = 50,
  db: DbOrTx = prisma,
): Promise<AuditEventView[]> {
  await requireStudyAccess(actor, studyId, "audit", db);
  return auditEventsFor({ entityType: "study", entityId: studyId }, db, { last: Math.max(1, Math.min(last, 500)) });
}

/** Records that someone exported a study's ratings or results (a read, so there is no change to join). */
export async function recordStudyExport(actor: Actor, studyId: string, what: Record<string, unknown>) {
  await recordAudit({ actor, action: "study.export", entityType: "study", entityId: studyId, after: what }, prisma);
}

import type { Actor } from "@/lib/auth/permissions";
import { prisma, type DbOrTx } from "@/lib/db";
import { JOB_TYPES, listJobsFor, type JobProgress } from "@/lib/jobs";
import { requireStudyAccess } from "@/lib/studies";

/** The judge jobs of one study, newest first (its owner, collaborators and admins only). */
export async function listJudgeJobs(actor: Actor | null, studyId: string, db: DbOrTx = prisma): Promise<JobProgress[]> {
  await requireStudyAccess(actor, studyId, "read", db);
  return listJobsFor(actor, { type: JOB_TYPES.JUDGE.type, key: "studyId", value: studyId }, db);
}

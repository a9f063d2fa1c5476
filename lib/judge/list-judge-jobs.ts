import type { Actor } from "@/lib/auth/permissions";
import { prisma, type DbOrTx } from "@/lib/db";
import { JOB_TYPES, listJobsFor, type JobProgress } from "@/lib/jobs";

/** The judge jobs of one study, newest first. */
export function listJudgeJobs(actor: Actor | null, studyId: string, db: DbOrTx = prisma): Promise<JobProgress[]> {
  return listJobsFor(actor, { type: JOB_TYPES.JUDGE.type, key: "studyId", value: studyId }, db);
}

import type { Actor } from "@/lib/auth/permissions";
import { prisma, type DbOrTx } from "@/lib/db";
import { JOB_TYPES, listJobsFor, type JobProgress } from "@/lib/jobs";

/** The generation jobs of one eval set, newest first. */
export function listGenerationJobs(
  actor: Actor | null,
  evalSetId: string,
  db: DbOrTx = prisma,
): Promise<JobProgress[]> {
  return listJobsFor(actor, { type: JOB_TYPES.GENERATE.type, key: "evalSetId", value: evalSetId }, db);
}

import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { NotFoundError } from "@/lib/errors";
import { prisma, type DbOrTx } from "@/lib/db";
import { requireId } from "@/lib/ids";
import { GENERATE_JOB } from "./schemas";

export interface JobProgress {
  id: string;
  status: "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED";
  systemName: string;
  done: number;
  total: number;
  errorCount: number;
  lastError: string | null;
  /** Items per second since the job started; null until there is a rate to show. */
  ratePerSecond: number | null;
  secondsLeft: number | null;
  cancelRequested: boolean;
  createdAt: string;
}

const jobSelect = {
  id: true, status: true, progressDone: true, progressTotal: true, errorCount: true, lastError: true,
  startedAt: true, finishedAt: true, createdAt: true, cancelRequestedAt: true, payload: true,
} as const;

function toProgress(j: { id: string; status: JobProgress["status"]; progressDone: number; progressTotal: number; errorCount: number; lastError: string | null; startedAt: Date | null; finishedAt: Date | null; createdAt: Date; cancelRequestedAt: Date | null }, systemName: string): JobProgress {
  const end = j.finishedAt ?? new Date();
  const elapsed = j.startedAt ? (end.getTime() - j.startedAt.getTime()) / 1000 : 0;
  const rate = elapsed > 1 && j.progressDone > 0 ? j.progressDone / elapsed : null;
  const left = j.progressTotal - j.progressDone;
  return {
    id: j.id, status: j.status, systemName, done: j.progressDone, total: j.progressTotal, errorCount: j.errorCount, lastError: j.lastError,
    ratePerSecond: rate, secondsLeft: rate && j.status === "RUNNING" ? Math.round(left / rate) : null,
    cancelRequested: j.cancelRequestedAt !== null, createdAt: j.createdAt.toISOString(),
  };
}

async function systemNames(ids: string[], db: DbOrTx) {
  const rows = await db.system.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Jobs of one type whose payload has `key` = `value` (e.g. a study's judge jobs), newest first. */
export async function listJobsFor(
  actor: Actor | null,
  filter: { type: string; key: string; value: string; permission: "generation:run" | "judge:run" },
  db: DbOrTx = prisma,
): Promise<JobProgress[]> {
  requirePermission(actor, filter.permission);
  const jobs = await db.job.findMany({ where: { type: filter.type, payload: { path: [filter.key], equals: filter.value } }, orderBy: { createdAt: "desc" }, take: 50, select: jobSelect });
  const names = await systemNames(jobs.map((j) => (j.payload as { systemId: string }).systemId), db);
  return jobs.map((j) => toProgress(j, names.get((j.payload as { systemId: string }).systemId) ?? "?"));
}

/** The generation jobs of one eval set, newest first. */
export async function listGenerationJobs(actor: Actor | null, evalSetId: string, db: DbOrTx = prisma): Promise<JobProgress[]> {
  return listJobsFor(actor, { type: GENERATE_JOB, key: "evalSetId", value: evalSetId, permission: "generation:run" }, db);
}

export async function getJobProgress(actor: Actor | null, jobId: string, db: DbOrTx = prisma): Promise<JobProgress> {
  requirePermission(actor, "generation:run");
  const j = await db.job.findUnique({ where: { id: requireId(jobId, "job") }, select: jobSelect });
  if (!j) throw new NotFoundError("No such job");
  const names = await systemNames([(j.payload as { systemId: string }).systemId], db);
  return toProgress(j, names.get((j.payload as { systemId: string }).systemId) ?? "?");
}

/** Cancels a job: a queued one at once, a running one at its worker's next checkpoint. Outputs made so far are kept. */
export async function cancelJob(actor: Actor | null, jobId: string, db: DbOrTx = prisma): Promise<JobProgress> {
  requirePermission(actor, "generation:run");
  requireId(jobId, "job");
  const now = new Date();
  await db.job.updateMany({ where: { id: jobId, status: "QUEUED" }, data: { status: "CANCELLED", cancelRequestedAt: now, finishedAt: now } });
  await db.job.updateMany({ where: { id: jobId, status: "RUNNING", cancelRequestedAt: null }, data: { cancelRequestedAt: now } });
  return getJobProgress(actor, jobId, db);
}

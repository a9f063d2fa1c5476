import { can, requirePermission, type Actor } from "@/lib/auth/permissions";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { prisma, type DbOrTx } from "@/lib/db";
import { requireId } from "@/lib/ids";
import { z } from "zod";
import { parseJobFailures, type JobFailures } from "./job-failures";
import { JOB_PERMISSIONS, permissionForJobType, type JobType } from "./job-types";

export interface JobProgress {
  id: string;
  status: "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED";
  /** What a person reads: a job that finished with failed items says so, never plain "succeeded". */
  statusLabel: string;
  systemName: string;
  done: number;
  total: number;
  errorCount: number;
  lastError: string | null;
  /** Failed items by kind, and the first few with their reasons (already redacted by whoever recorded them). */
  failureCounts: JobFailures["counts"];
  failedItems: JobFailures["items"];
  /** Upstream calls retried after a 429, 5xx or time-out; failed items tried again within the job. */
  retries: { upstream: number; items: number };
  /** Items found done before the job ran (reused): counted in `done`, never in the rate. */
  reused: number;
  /** Items per second this job produced since it started; null until there is a rate to show. */
  ratePerSecond: number | null;
  secondsLeft: number | null;
  cancelRequested: boolean;
  createdAt: string;
}

const jobSelect = {
  id: true,
  status: true,
  progressDone: true,
  progressTotal: true,
  errorCount: true,
  lastError: true,
  reusedCount: true,
  retryCount: true,
  itemRetryCount: true,
  failures: true,
  startedAt: true,
  finishedAt: true,
  createdAt: true,
  cancelRequestedAt: true,
  payload: true,
  type: true,
} as const;

/** How many failed items a job's progress lists with their reasons (the counts cover all). */
export const SHOWN_FAILED_ITEMS = 5;

/** The part of every job's payload the queue reads: which system the job runs. */
const JobPayloadHead = z.object({ systemId: z.string() }).loose();
const systemIdOf = (payload: unknown): string => JobPayloadHead.safeParse(payload).data?.systemId ?? "";

/** "succeeded" only when nothing failed; otherwise "completed with N failures". */
export function jobStatusLabel(status: JobProgress["status"], errorCount: number): string {
  if (status === "SUCCEEDED" && errorCount > 0)
    return `completed with ${errorCount} failure${errorCount === 1 ? "" : "s"}`;
  return status.toLowerCase();
}

export function toProgress(
  j: {
    id: string;
    status: JobProgress["status"];
    progressDone: number;
    progressTotal: number;
    errorCount: number;
    lastError: string | null;
    reusedCount?: number;
    retryCount?: number;
    itemRetryCount?: number;
    failures?: unknown;
    startedAt: Date | null;
    finishedAt: Date | null;
    createdAt: Date;
    cancelRequestedAt: Date | null;
  },
  systemName: string,
): JobProgress {
  const end = j.finishedAt ?? new Date();
  const elapsed = j.startedAt ? (end.getTime() - j.startedAt.getTime()) / 1000 : 0;
  // Reused items were done before the job started: counting them made a 13-item rerun read 101 items/s.
  const reused = Math.min(j.reusedCount ?? 0, j.progressDone);
  const doneHere = j.progressDone - reused;
  const rate = elapsed > 1 && doneHere > 0 ? doneHere / elapsed : null;
  const left = j.progressTotal - j.progressDone;
  const failures = parseJobFailures(j.failures);
  return {
    id: j.id,
    status: j.status,
    statusLabel: jobStatusLabel(j.status, j.errorCount),
    systemName,
    done: j.progressDone,
    total: j.progressTotal,
    errorCount: j.errorCount,
    lastError: j.lastError,
    failureCounts: failures.counts,
    failedItems: failures.items.slice(0, SHOWN_FAILED_ITEMS),
    retries: { upstream: j.retryCount ?? 0, items: j.itemRetryCount ?? 0 },
    reused,
    ratePerSecond: rate,
    secondsLeft: rate && j.status === "RUNNING" ? Math.round(left / rate) : null,
    cancelRequested: j.cancelRequestedAt !== null,
    createdAt: j.createdAt.toISOString(),
  };
}

async function systemNames(ids: string[], db: DbOrTx) {
  const rows = await db.system.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Jobs of one type whose payload has `key` = `value` (e.g. a study's judge jobs), newest first; guarded by the type's permission. */
export async function listJobsFor(
  actor: Actor | null,
  filter: { type: JobType; key: string; value: string },
  db: DbOrTx = prisma,
): Promise<JobProgress[]> {
  requirePermission(actor, permissionForJobType(filter.type)!);
  const jobs = await db.job.findMany({
    where: { type: filter.type, payload: { path: [filter.key], equals: filter.value } },
    orderBy: { createdAt: "desc" },
    take: 50,
    select: jobSelect,
  });
  const names = await systemNames(
    jobs.map((j) => systemIdOf(j.payload)),
    db,
  );
  return jobs.map((j) => toProgress(j, names.get(systemIdOf(j.payload)) ?? "?"));
}

/**
 * One job's progress. An actor who may see no kind of job is refused before the lookup (so ids
 * leak nothing); otherwise the job's own type decides.
 */
export async function getJobProgress(actor: Actor | null, jobId: string, db: DbOrTx = prisma): Promise<JobProgress> {
  requireAnyJobPermission(actor);
  const j = await db.job.findUnique({ where: { id: requireId(jobId, "job") }, select: jobSelect });
  const permission = j && permissionForJobType(j.type);
  if (!j || !permission) throw new NotFoundError("No such job");
  requirePermission(actor, permission);
  const names = await systemNames([systemIdOf(j.payload)], db);
  return toProgress(j, names.get(systemIdOf(j.payload)) ?? "?");
}

function requireAnyJobPermission(actor: Actor | null): asserts actor is Actor {
  if (!actor) requirePermission(actor, JOB_PERMISSIONS[0]);
  if (!JOB_PERMISSIONS.some((p) => can(actor.role, p))) throw new ForbiddenError("You may not see jobs");
}

/** Cancels a job: a queued one at once, a running one at its worker's next checkpoint. Outputs made so far are kept. */
export async function cancelJob(actor: Actor | null, jobId: string, db: DbOrTx = prisma): Promise<JobProgress> {
  await getJobProgress(actor, jobId, db); // the job's own permission, before anything changes
  const now = new Date();
  await db.job.updateMany({
    where: { id: jobId, status: "QUEUED" },
    data: { status: "CANCELLED", cancelRequestedAt: now, finishedAt: now },
  });
  await db.job.updateMany({
    where: { id: jobId, status: "RUNNING", cancelRequestedAt: null },
    data: { cancelRequestedAt: now },
  });
  return getJobProgress(actor, jobId, db);
}

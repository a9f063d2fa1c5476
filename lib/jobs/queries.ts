import { prisma, type DbOrTx } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { ProgressReport } from "./job-failures";

export type { ProgressReport };

export interface ClaimedJob {
  id: string;
  type: string;
  payload: Prisma.JsonValue;
  attempts: number;
  cancelRequested: boolean;
}

/**
 * Queues a job. `progressDone`, when given, counts work found already done (reused outputs): a
 * job with nothing left is created finished in the same statement, so no worker ever claims it.
 * `chunks`, when given, splits the job into shares (each payload says what it covers) that any
 * number of workers run at once; without them the job is one unit, claimed whole.
 */
export function insertJob(
  {
    chunks,
    ...data
  }: {
    type: string;
    payload: Prisma.InputJsonValue;
    progressTotal: number;
    progressDone?: number;
    createdById?: string | null;
    chunks?: Prisma.InputJsonValue[];
  },
  db: DbOrTx = prisma,
) {
  const isDone = data.progressDone !== undefined && data.progressDone >= data.progressTotal;
  const shares = isDone ? [] : (chunks ?? []);
  return db.job.create({
    // The reused items are remembered apart: the job's rate and ETA count only what it did itself.
    data: {
      ...data,
      reusedCount: data.progressDone ?? 0,
      ...(isDone ? { status: "SUCCEEDED" as const, finishedAt: new Date() } : {}),
      ...(shares.length
        ? {
            chunkCount: shares.length,
            chunks: { createMany: { data: shares.map((payload, seq) => ({ seq, payload })) } },
          }
        : {}),
    },
    select: { id: true, status: true },
  });
}

/**
 * Takes the oldest unchunked job that is queued, or running under a lease that has expired (its
 * worker died), in ONE statement (chunked jobs are shared through claimNextChunk): the row is locked with SKIP LOCKED inside the UPDATE, so two workers
 * can never take the same job and neither waits on the other.
 */
export async function claimNextJob(
  { workerId, leaseMs, types }: { workerId: string; leaseMs: number; types: string[] },
  db: DbOrTx = prisma,
): Promise<ClaimedJob | null> {
  const rows = await db.$queryRaw<
    { id: string; type: string; payload: Prisma.JsonValue; attempts: number; cancelRequestedAt: Date | null }[]
  >`
    UPDATE "Job" SET status = 'RUNNING', "lockedBy" = ${workerId},
      "leaseExpiresAt" = now() + make_interval(secs => ${leaseMs / 1000}::float8),
      attempts = attempts + 1, "startedAt" = COALESCE("startedAt", now())
    WHERE id = (
      SELECT id FROM "Job"
      WHERE type = ANY(${types}::text[]) AND "chunkCount" = 0
        AND (status = 'QUEUED' OR (status = 'RUNNING' AND "leaseExpiresAt" < now()))
        AND ("runAfter" IS NULL OR "runAfter" <= now())
      ORDER BY "createdAt"
      FOR UPDATE SKIP LOCKED
      LIMIT 1)
    RETURNING id, type, payload, attempts, "cancelRequestedAt"`;
  const r = rows[0];
  return r
    ? {
        id: r.id,
        type: r.type,
        payload: r.payload,
        attempts: r.attempts,
        cancelRequested: r.cancelRequestedAt !== null,
      }
    : null;
}

/** Extends the lease; null when this worker no longer holds the job (its lease was taken over). */
export async function renewLease(
  { jobId, workerId, leaseMs }: { jobId: string; workerId: string; leaseMs: number },
  db: DbOrTx = prisma,
): Promise<{ cancelRequested: boolean } | null> {
  const rows = await db.$queryRaw<{ cancelRequestedAt: Date | null }[]>`
    UPDATE "Job" SET "leaseExpiresAt" = now() + make_interval(secs => ${leaseMs / 1000}::float8)
    WHERE id = ${jobId}::uuid AND "lockedBy" = ${workerId} AND status = 'RUNNING'
    RETURNING "cancelRequestedAt"`;
  return rows[0] ? { cancelRequested: rows[0].cancelRequestedAt !== null } : null;
}

export function recordProgress(
  {
    jobId,
    workerId,
    done,
    errorCount,
    lastError,
    failures,
    retries,
  }: { jobId: string; workerId: string } & ProgressReport,
  db: DbOrTx = prisma,
) {
  return db.job.updateMany({
    where: { id: jobId, lockedBy: workerId, status: "RUNNING" },
    data: {
      progressDone: done,
      errorCount,
      ...(lastError !== undefined ? { lastError } : {}),
      ...(failures !== undefined ? { failures: failures ?? Prisma.DbNull } : {}),
      ...(retries ? { retryCount: retries.upstream, itemRetryCount: retries.items } : {}),
    },
  });
}

export function finishJob(
  {
    jobId,
    workerId,
    status,
    lastError,
  }: {
    jobId: string;
    workerId: string;
    status: "SUCCEEDED" | "FAILED" | "CANCELLED" | "QUEUED";
    lastError?: string | null;
  },
  db: DbOrTx = prisma,
) {
  const finished = status !== "QUEUED";
  return db.job.updateMany({
    where: { id: jobId, lockedBy: workerId, status: "RUNNING" },
    data: {
      status,
      lockedBy: null,
      leaseExpiresAt: null,
      finishedAt: finished ? new Date() : null,
      ...(lastError !== undefined ? { lastError } : {}),
    },
  });
}

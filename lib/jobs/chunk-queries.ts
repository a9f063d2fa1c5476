import { prisma, type DbOrTx } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { mergeJobFailures, type ChunkReport } from "./job-failures";

export interface ClaimedChunk {
  jobId: string;
  seq: number;
  type: string;
  /** The job's payload, and the chunk's own (what part of the job it covers). */
  jobPayload: Prisma.JsonValue;
  payload: Prisma.JsonValue;
  attempts: number;
  cancelRequested: boolean;
}

/**
 * Takes the next chunk of the oldest chunked job that is queued or running: one that nobody
 * holds, or whose holder's lease ran out (the worker died). ONE statement: the chunk row is
 * locked with SKIP LOCKED inside the UPDATE, so two workers never take one chunk and neither
 * waits; the job turns RUNNING with its first claimed chunk.
 */
export async function claimNextChunk(
  {
    workerId,
    leaseMs,
    types,
    jobId,
  }: {
    workerId: string;
    leaseMs: number;
    types: string[];
    /** Only this job's chunks (a test standing in for a worker that dies holding one). */
    jobId?: string;
  },
  db: DbOrTx = prisma,
): Promise<ClaimedChunk | null> {
  if (types.length === 0) return null;
  const rows = await db.$queryRaw<
    {
      jobId: string;
      seq: number;
      payload: Prisma.JsonValue;
      attempts: number;
      type: string;
      jobPayload: Prisma.JsonValue;
      cancelRequestedAt: Date | null;
    }[]
  >`
    WITH c AS (
      UPDATE "JobChunk" SET status = 'RUNNING', "lockedBy" = ${workerId}, attempts = attempts + 1,
        "leaseExpiresAt" = now() + make_interval(secs => ${leaseMs / 1000}::float8)
      WHERE ("jobId", seq) = (
        SELECT c."jobId", c.seq FROM "JobChunk" c JOIN "Job" j ON j.id = c."jobId"
        WHERE j.type = ANY(${types}::text[]) AND j.status IN ('QUEUED', 'RUNNING')
          AND (${jobId ?? null}::uuid IS NULL OR j.id = ${jobId ?? null}::uuid)
          AND (c.status = 'PENDING' OR (c.status = 'RUNNING' AND c."leaseExpiresAt" < now()))
        ORDER BY j."createdAt", c.seq
        FOR UPDATE OF c SKIP LOCKED
        LIMIT 1)
      RETURNING "jobId", seq, payload, attempts),
    started AS (
      UPDATE "Job" SET status = 'RUNNING', "startedAt" = COALESCE("startedAt", now())
      FROM c WHERE "Job".id = c."jobId" AND "Job".status = 'QUEUED'
      RETURNING "Job".id)
    SELECT c."jobId", c.seq, c.payload, c.attempts, j.type, j.payload AS "jobPayload", j."cancelRequestedAt"
    FROM c JOIN "Job" j ON j.id = c."jobId"`;
  const r = rows[0];
  if (!r) return null;
  return {
    jobId: r.jobId,
    seq: r.seq,
    type: r.type,
    jobPayload: r.jobPayload,
    payload: r.payload,
    attempts: r.attempts,
    cancelRequested: r.cancelRequestedAt !== null,
  };
}

/**
 * Extends the chunk's lease. null when this worker no longer holds it (its lease was taken over);
 * `stop` when the job was cancelled or has ended (another worker failed it).
 */
export async function renewChunk(
  { jobId, seq, workerId, leaseMs }: { jobId: string; seq: number; workerId: string; leaseMs: number },
  db: DbOrTx = prisma,
): Promise<{ stop: boolean; cancelled: boolean } | null> {
  const rows = await db.$queryRaw<{ status: string; cancelRequestedAt: Date | null }[]>`
    UPDATE "JobChunk" c SET "leaseExpiresAt" = now() + make_interval(secs => ${leaseMs / 1000}::float8)
    FROM "Job" j
    WHERE c."jobId" = ${jobId}::uuid AND c.seq = ${seq} AND c."lockedBy" = ${workerId} AND c.status = 'RUNNING'
      AND j.id = c."jobId"
    RETURNING j.status::text AS status, j."cancelRequestedAt"`;
  const r = rows[0];
  if (!r) return null;
  const cancelled = r.cancelRequestedAt !== null;
  return { stop: cancelled || r.status !== "RUNNING", cancelled };
}

/**
 * Marks the chunk done with what it reports, then settles the job: its failures and retries are
 * the sums over its chunks, its progress is its reused items plus its chunks' done items, and the worker that finds every chunk done
 * finishes it. The job row is locked first, so two workers finishing the last two chunks at once
 * cannot both miss the end, nor write a stale sum over a newer one.
 */
export async function completeChunk(
  { jobId, seq, workerId, report }: { jobId: string; seq: number; workerId: string; report: ChunkReport },
  db: typeof prisma = prisma,
): Promise<{ held: boolean; finished: boolean }> {
  const held = await db.$executeRaw`
    UPDATE "JobChunk" SET status = 'DONE', "lockedBy" = NULL, "leaseExpiresAt" = NULL, "doneCount" = ${report.done},
      "errorCount" = ${report.errorCount}, "retryCount" = ${report.retries.upstream},
      "itemRetryCount" = ${report.retries.items},
      failures = ${report.failures ? JSON.stringify(report.failures) : null}::jsonb, "lastError" = ${report.lastError}
    WHERE "jobId" = ${jobId}::uuid AND seq = ${seq} AND "lockedBy" = ${workerId} AND status = 'RUNNING'`;
  if (held === 0) return { held: false, finished: false };
  // While no chunk of the job has failed items (nearly always), ONE statement settles the job:
  // the sums are read with the statement's snapshot, taken after this chunk's row was committed,
  // so of two workers finishing the last two chunks at once the later snapshot sees both done and
  // finishes the job; GREATEST keeps an older snapshot's smaller sums from overwriting newer ones
  // (the sums only grow). Failed items' lists are merged in JS, under the lock below.
  const settled = await db.$queryRaw<{ finished: boolean }[]>`
    UPDATE "Job" j SET
      "progressDone" = GREATEST(j."progressDone", j."reusedCount" + s.done),
      "retryCount" = GREATEST(j."retryCount", s.retries),
      "itemRetryCount" = GREATEST(j."itemRetryCount", s."itemRetries"),
      "lastError" = COALESCE(${report.lastError}, j."lastError"),
      status = CASE WHEN s.open = 0 THEN 'SUCCEEDED'::"JobStatus" ELSE j.status END,
      "finishedAt" = CASE WHEN s.open = 0 THEN now() ELSE j."finishedAt" END,
      "lockedBy" = CASE WHEN s.open = 0 THEN NULL ELSE j."lockedBy" END
    FROM (
      SELECT COALESCE(sum("doneCount"), 0)::int AS done, COALESCE(sum("errorCount"), 0)::int AS errors,
        COALESCE(sum("retryCount"), 0)::int AS retries, COALESCE(sum("itemRetryCount"), 0)::int AS "itemRetries",
        count(*) FILTER (WHERE status <> 'DONE')::int AS open
      FROM "JobChunk" WHERE "jobId" = ${jobId}::uuid) s
    WHERE j.id = ${jobId}::uuid AND j.status = 'RUNNING' AND s.errors = 0 AND ${report.errorCount === 0}
    RETURNING s.open = 0 AS finished`;
  if (settled.length > 0) return { held: true, finished: settled[0].finished };
  const finished = await db.$transaction(async (tx) => {
    const [job] = await tx.$queryRaw<{ status: string; reusedCount: number; lastError: string | null }[]>`
      SELECT status::text AS status, "reusedCount", "lastError" FROM "Job" WHERE id = ${jobId}::uuid FOR UPDATE`;
    if (!job || job.status !== "RUNNING") return false;
    // Sums in PostgreSQL: reading every chunk's row into the worker at each chunk's end cost the
    // job's workers time in proportion to chunks squared (625 chunks for 20,000 teacher items).
    const [sums] = await tx.$queryRaw<
      { done: number; errors: number; retries: number; itemRetries: number; open: number }[]
    >`
      SELECT COALESCE(sum("doneCount"), 0)::int AS done, COALESCE(sum("errorCount"), 0)::int AS errors,
        COALESCE(sum("retryCount"), 0)::int AS retries, COALESCE(sum("itemRetryCount"), 0)::int AS "itemRetries",
        count(*) FILTER (WHERE status <> 'DONE')::int AS open
      FROM "JobChunk" WHERE "jobId" = ${jobId}::uuid`;
    const failed =
      sums.errors > 0
        ? await tx.jobChunk.findMany({
            where: { jobId, failures: { not: Prisma.DbNull } },
            select: { failures: true },
            orderBy: { seq: "asc" },
          })
        : [];
    const errorCount = sums.errors;
    const done = job.reusedCount + sums.done;
    const isEnd = sums.open === 0;
    const failures = mergeJobFailures(failed.map((c) => c.failures));
    await tx.job.update({
      where: { id: jobId },
      data: {
        progressDone: done,
        errorCount,
        retryCount: sums.retries,
        itemRetryCount: sums.itemRetries,
        failures: failures ?? Prisma.DbNull,
        lastError: report.lastError ?? job.lastError,
        // Nothing made and items failed: the job failed (a wrong key fails every item the same way).
        ...(isEnd
          ? { status: done === 0 && errorCount > 0 ? "FAILED" : "SUCCEEDED", finishedAt: new Date(), lockedBy: null }
          : {}),
      },
    });
    return isEnd;
  });
  return { held: true, finished };
}

/**
 * Hands a chunk back (its worker stopped or threw): another worker takes it. A chunk that has
 * failed `maxAttempts` times fails its job, as a whole job did before chunks.
 */
export async function releaseChunk(
  {
    jobId,
    seq,
    workerId,
    lastError,
    failJob,
  }: { jobId: string; seq: number; workerId: string; lastError?: string; failJob?: boolean },
  db: DbOrTx = prisma,
) {
  const held = await db.jobChunk.updateMany({
    where: { jobId, seq, lockedBy: workerId, status: "RUNNING" },
    data: { status: "PENDING", lockedBy: null, leaseExpiresAt: null, ...(lastError ? { lastError } : {}) },
  });
  if (held.count > 0 && failJob) await endJob({ jobId, status: "FAILED", lastError }, db);
}

/** Ends a running chunked job (cancelled, or failed); its other chunks stop at their next renewal. */
export function endJob(
  { jobId, status, lastError }: { jobId: string; status: "FAILED" | "CANCELLED"; lastError?: string },
  db: DbOrTx = prisma,
) {
  return db.job.updateMany({
    where: { id: jobId, status: { in: ["QUEUED", "RUNNING"] } },
    data: { status, finishedAt: new Date(), ...(lastError !== undefined ? { lastError } : {}) },
  });
}

import { Prisma } from "@/lib/generated/prisma/client";
import { prisma, type DbOrTx } from "@/lib/db";
import { JOB_TYPES } from "./job-types";

/**
 * Debounced jobs (the results refresh): queued unless one with the same key is still waiting, in
 * ONE insert: the unique `dedupeKey` turns the 2nd..1000th request into a no-op, so a hot path (a
 * rating submit) pays one cheap statement and a burst of requests makes one job. The job is not
 * claimed before its delay has passed: requests in that window are folded into it. The handler
 * calls `releaseDedupeKey` when it starts, so a request that arrives while it runs queues the next.
 */

/** Frees a job's key as its handler starts: a request from now on queues a new job. */
export async function releaseDedupeKey(jobId: string, db: DbOrTx = prisma): Promise<void> {
  await db.job.updateMany({ where: { id: jobId }, data: { dedupeKey: null } });
}

/** How long a study's results wait after a change before the worker recomputes them. */
export const RESULTS_REFRESH_DELAY_MS = 3000;
/**
 * After a computation that took D, the next waits until D x this has passed since it ended, so
 * a large study's refreshes take at most 1 / (1 + this) of a worker's core while ratings keep
 * arriving (a 100,000-rating study computes in about 2 s: then every 10 s, not every 5 s).
 */
export const RESULTS_REFRESH_REST_FACTOR = 4;
/** D is read from the stored result's times; this caps it (clocks of two machines may differ). */
const MAX_COUNTED_COMPUTATION = "15 seconds";

/**
 * Asks the worker to recompute a study's stored results (a rating, an exclusion or a setting
 * changed). Here, in the queue, because the domains that change ratings cannot import lib/results.
 */
export async function queueResultsRefresh(studyId: string, db: DbOrTx = prisma): Promise<void> {
  await db.$executeRaw`${queueResultsRefreshSql(Prisma.sql`SELECT ${studyId}::uuid AS "studyId"`)}`;
}

/**
 * queueResultsRefresh as an INSERT to run inside another statement (a data-modifying CTE), for
 * each study id that `studyIds` yields (a query with a uuid column "studyId"): a hot path (a
 * rating submit) then queues its refresh without a statement of its own. One job per study
 * while one waits (the dedupe key), run RESULTS_REFRESH_DELAY_MS later (a debounce), and not
 * before the last computation has rested RESULTS_REFRESH_REST_FACTOR times its own length.
 */
export function queueResultsRefreshSql(studyIds: Prisma.Sql): Prisma.Sql {
  const type = JOB_TYPES.RESULTS.type;
  return Prisma.sql`
    INSERT INTO "Job" ("id", "type", "payload", "progressTotal", "dedupeKey", "runAfter")
    SELECT gen_random_uuid(), ${type}, jsonb_build_object('studyId', q."studyId"::text), 1, ${`${type}:`} || q."studyId"::text,
           GREATEST(
             now() + make_interval(secs => ${RESULTS_REFRESH_DELAY_MS / 1000}::float8),
             (SELECT max(s."computedAt" + ${RESULTS_REFRESH_REST_FACTOR}::int *
                         LEAST(GREATEST(s."computedAt" - s."inputsAt", interval '0'), ${MAX_COUNTED_COMPUTATION}::interval))
              FROM "StudyResultSnapshot" s WHERE s."studyId" = q."studyId"))
    FROM (SELECT DISTINCT x."studyId" FROM (${studyIds}) x) q
    ON CONFLICT ("dedupeKey") DO NOTHING`;
}

/**
 * After a refresh that took `computationMs`: the refresh queued while it ran (ratings kept
 * coming) waits until this one has rested RESULTS_REFRESH_REST_FACTOR times as long. That job
 * was queued when this one began, from the stored result before it, so its time is set here.
 */
export async function restResultsRefresh(studyId: string, computationMs: number, db: DbOrTx = prisma): Promise<void> {
  const restSeconds = (RESULTS_REFRESH_REST_FACTOR * Math.min(Math.max(computationMs, 0), 15_000)) / 1000;
  await db.$executeRaw`
    UPDATE "Job" SET "runAfter" = GREATEST("runAfter", now() + make_interval(secs => ${restSeconds}::float8))
    WHERE "dedupeKey" = ${`${JOB_TYPES.RESULTS.type}:${studyId}`} AND "status" = 'QUEUED'`;
}

/** When the waiting refresh of a study may run (null: none is waiting). */
export async function pendingResultsRefresh(studyId: string, db: DbOrTx = prisma): Promise<Date | null> {
  const job = await db.job.findUnique({
    where: { dedupeKey: `${JOB_TYPES.RESULTS.type}:${studyId}` },
    select: { runAfter: true, createdAt: true, status: true },
  });
  return job && job.status === "QUEUED" ? (job.runAfter ?? job.createdAt) : null;
}

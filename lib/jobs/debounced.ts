import { Prisma } from "@/lib/generated/prisma/client";
import { prisma, type DbOrTx } from "@/lib/db";
import { JOB_TYPES } from "./job-types";

/**
 * Queues a job unless one with the same key is still waiting, in ONE insert: the unique
 * `dedupeKey` turns the 2nd..1000th request into a no-op, so a hot path (a rating submit) pays
 * one cheap statement and a burst of requests makes one job. The job is not claimed before
 * `delayMs` has passed (debounce): requests in that window are folded into it. The handler calls
 * `releaseDedupeKey` when it starts, so a request that arrives while it runs queues the next one.
 */
export async function queueDebouncedJob(
  { type, key, payload, delayMs }: { type: string; key: string; payload: Record<string, unknown>; delayMs: number },
  db: DbOrTx = prisma,
): Promise<void> {
  await db.$executeRaw`
    INSERT INTO "Job" ("id", "type", "payload", "progressTotal", "dedupeKey", "runAfter")
    VALUES (gen_random_uuid(), ${type}, ${JSON.stringify(payload)}::jsonb, 1, ${`${type}:${key}`},
            now() + make_interval(secs => ${delayMs / 1000}::float8))
    ON CONFLICT ("dedupeKey") DO NOTHING`;
}

/** Frees a job's key as its handler starts: a request from now on queues a new job. */
export async function releaseDedupeKey(jobId: string, db: DbOrTx = prisma): Promise<void> {
  await db.job.updateMany({ where: { id: jobId }, data: { dedupeKey: null } });
}

/** How long a study's results wait after a change before the worker recomputes them. */
export const RESULTS_REFRESH_DELAY_MS = 3000;

/**
 * Asks the worker to recompute a study's stored results (a rating, an exclusion or a setting
 * changed). Here, in the queue, because the domains that change ratings cannot import lib/results.
 */
export function queueResultsRefresh(studyId: string, db: DbOrTx = prisma): Promise<void> {
  return queueDebouncedJob(
    { type: JOB_TYPES.RESULTS.type, key: studyId, payload: { studyId }, delayMs: RESULTS_REFRESH_DELAY_MS },
    db,
  );
}

/**
 * queueResultsRefresh as an INSERT to run inside another statement (a data-modifying CTE), for
 * each study id that `studyIds` yields (a query with a uuid column "studyId"): a hot path (a
 * rating submit) then queues its refresh without a statement of its own. Same row, key and
 * delay as queueResultsRefresh.
 */
export function queueResultsRefreshSql(studyIds: Prisma.Sql): Prisma.Sql {
  const type = JOB_TYPES.RESULTS.type;
  return Prisma.sql`
    INSERT INTO "Job" ("id", "type", "payload", "progressTotal", "dedupeKey", "runAfter")
    SELECT gen_random_uuid(), ${type}, jsonb_build_object('studyId', q."studyId"::text), 1, ${`${type}:`} || q."studyId"::text,
           now() + make_interval(secs => ${RESULTS_REFRESH_DELAY_MS / 1000}::float8)
    FROM (SELECT DISTINCT x."studyId" FROM (${studyIds}) x) q
    ON CONFLICT ("dedupeKey") DO NOTHING`;
}

/** When the waiting refresh of a study may run (null: none is waiting). */
export async function pendingResultsRefresh(studyId: string, db: DbOrTx = prisma): Promise<Date | null> {
  const job = await db.job.findUnique({
    where: { dedupeKey: `${JOB_TYPES.RESULTS.type}:${studyId}` },
    select: { runAfter: true, createdAt: true, status: true },
  });
  return job && job.status === "QUEUED" ? (job.runAfter ?? job.createdAt) : null;
}

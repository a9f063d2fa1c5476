/**
 * Results are computed when a study's ratings change (a debounced job in the worker) and stored;
 * views read the stored result and say what it is as of. A study with nothing stored yet is
 * computed once on request and stored, so a fresh study works without a worker.
 */
import { z } from "zod";
import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { prisma, type DbOrTx } from "@/lib/db";
import {
  JOB_TYPES,
  pendingResultsRefresh,
  queueResultsRefresh,
  releaseDedupeKey,
  restResultsRefresh,
  type JobHandler,
} from "@/lib/jobs";
import { requireStudyAccess } from "@/lib/studies";
import { computeStudyResults, type StudyResults } from "./get-study-results";
import { StudyResultsInput, type Scale } from "./schemas";
import * as stored from "./stored-results";

export const RESULTS_JOB = JOB_TYPES.RESULTS.type;

/** What a shown result was computed from, for "as of HH:MM, N ratings". */
export interface ResultsAsOf {
  computedAt: string;
  /** Ratings of the study when the computation began (real and simulated, checks included). */
  ratings: number;
  /** Newer ratings (or an exclusion) exist: a recompute is queued and this result is the stored one. */
  isUpdating: boolean;
  /** Ratings added since (0 when only revisions or exclusions changed). */
  newerRatings: number;
}

export interface ServedResults {
  results: StudyResults;
  asOf: ResultsAsOf;
}

/** A refresh still waiting this long after it was due has no worker to run it: the view computes instead. */
export const OVERDUE_REFRESH_MS = 60_000;

/** Computes a study's results now and stores them (unless a newer computation was stored meanwhile). */
export async function refreshStudyResults(
  input: { studyId: string; scale: Scale },
  db: DbOrTx = prisma,
): Promise<ServedResults> {
  // The stamp is read before the ratings: anything it counts, the computation sees.
  const stamp = await stored.readResultsStamp(input.studyId, db);
  const results = await computeStudyResults(input, db);
  await stored.storeSnapshot({ ...input, result: JSON.stringify(results), stamp }, db);
  return {
    results,
    asOf: { computedAt: results.computedAt, ratings: stamp.ratingsCount, isUpdating: false, newerRatings: 0 },
  };
}

async function servedResults(
  input: { studyId: string; scale: Scale },
  { mustBeCurrent }: { mustBeCurrent: boolean },
  db: DbOrTx,
): Promise<ServedResults> {
  const { stamp, snapshot } = await stored.readSnapshotAndStamp(input.studyId, input.scale, db);
  if (snapshot) {
    const stale = stored.isStale(snapshot, stamp);
    let serve = !stale;
    if (stale && !mustBeCurrent) {
      await queueResultsRefresh(input.studyId, db);
      const due = await pendingResultsRefresh(input.studyId, db);
      serve = due === null || stamp.now.getTime() - due.getTime() < OVERDUE_REFRESH_MS;
    }
    if (serve)
      return {
        results: JSON.parse(snapshot.result) as StudyResults,
        asOf: {
          computedAt: snapshot.computedAt.toISOString(),
          ratings: snapshot.ratingsCount,
          isUpdating: stale,
          newerRatings: Math.max(0, stamp.ratingsCount - snapshot.ratingsCount),
        },
      };
  }
  return refreshStudyResults(input, db);
}

/** A study's results for its pages: the stored result with its "as of", computed once if none is stored. */
export async function viewStudyResults(
  actor: Actor | null,
  input: { studyId: string; scale?: string },
  db: DbOrTx = prisma,
): Promise<ServedResults> {
  requirePermission(actor, "results:read");
  const parsed = StudyResultsInput.parse(input);
  await requireStudyAccess(actor, parsed.studyId, "read", db); // its owner, collaborators and admins only
  return servedResults(parsed, { mustBeCurrent: false }, db);
}

/** The same for exports, which must be current: the stored result when nothing changed since, else computed now. */
export function currentStudyResults(input: { studyId: string; scale: Scale }, db: DbOrTx = prisma) {
  return servedResults(input, { mustBeCurrent: true }, db);
}

const ResultsJobPayload = z.object({ studyId: z.uuid() });

/** Worker: recomputes the stored results of a study (every scale stored, z-scores always). */
export const runResultsJob: JobHandler = async (ctx) => {
  const { studyId } = ResultsJobPayload.parse(ctx.job.payload);
  // Freed before reading: a rating submitted from now on queues the next refresh, none is lost.
  await releaseDedupeKey(ctx.job.id);
  // One row per refresh would pile up over a study's life: earlier finished refreshes are dropped.
  await prisma.job.deleteMany({
    where: {
      type: RESULTS_JOB,
      id: { not: ctx.job.id },
      status: { in: ["SUCCEEDED", "CANCELLED"] },
      payload: { equals: { studyId } },
    },
  });
  const study = await prisma.study.findUnique({ where: { id: studyId }, select: { id: true } });
  if (!study) return { status: "SUCCEEDED", lastError: "The study no longer exists" };
  const scales = new Set<Scale>(["z", ...(await stored.storedScales(studyId))]);
  const started = performance.now();
  for (const scale of scales) await refreshStudyResults({ studyId, scale });
  // A large study's refreshes take a bounded share of the worker while ratings keep arriving.
  await restResultsRefresh(studyId, performance.now() - started);
  await ctx.checkpoint({ done: 1, errorCount: 0 });
  return { status: "SUCCEEDED" };
};

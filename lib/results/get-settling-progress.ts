import type { Actor } from "@/lib/auth/permissions";
import { prisma, type DbOrTx } from "@/lib/db";
import { remainingRatings } from "./settle-text";
import { viewStudyResults, type ResultsAsOf } from "./view-study-results";

export interface SettlingRow {
  student: string;
  criterion: string;
  /** null when the data cannot give a verdict yet (then `reason` says why). */
  verdict: "non-inferior" | "inferior" | "inconclusive" | null;
  estimate: number | null;
  /** Width of the interval between the one-sided bounds, in points of the relative score. */
  width: number | null;
  /** About how many more ratings would settle it: 0 when settled, null when none would (or no verdict yet). */
  moreRatings: number | null;
  /** Ratings the student's pairs can still take (pairs x k less those done). */
  remaining: number | null;
  reason: string | null;
}

/**
 * For the study's monitor during data collection: per student and criterion, the non-inferiority
 * interval's current width and about how many more ratings would settle the verdict. Read from
 * the stored results (lib/results recomputes them as ratings arrive), with their "as of".
 */
export async function getSettlingProgress(
  actor: Actor | null,
  input: { studyId: string },
  db: DbOrTx = prisma,
): Promise<{ asOf: ResultsAsOf; margin: number; rows: SettlingRow[] }> {
  const { results: r, asOf } = await viewStudyResults(actor, { studyId: input.studyId }, db);
  const system = new Map(r.systems.map((s) => [s.id, s.name]));
  const label = new Map(r.criteria.map((c) => [c.key, c.label]));
  const rows = r.statistics.nonInferiority.map(({ studentSystemId, criterion, result }) => ({
    student: system.get(studentSystemId) ?? studentSystemId,
    criterion: label.get(criterion) ?? criterion,
    remaining: remainingRatings(r.progress, studentSystemId),
    ...(result.ok
      ? {
          verdict: result.verdict,
          estimate: result.estimate,
          width: result.width,
          moreRatings: result.moreRatings,
          reason: null,
        }
      : { verdict: null, estimate: null, width: null, moreRatings: null, reason: result.reason }),
  }));
  return { asOf, margin: r.study.nonInferiorityMargin, rows };
}

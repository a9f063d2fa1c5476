import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { prisma, type DbOrTx } from "@/lib/db";
import { exportFilename } from "./dataset";
import { computeStudyMetrics, type StudyMetrics } from "./get-study-metrics";
import { requireStudyAccess } from "@/lib/studies";
import type { StudyResults } from "./get-study-results";
import { StudyResultsInput } from "./schemas";
import { currentStudyResults, type ResultsAsOf } from "./view-study-results";

/** The computed results (statistics, annotators, efficiency, headline) and metrics as one JSON document. */
export async function exportStudyResults(
  actor: Actor | null,
  input: { studyId: string; scale?: string },
  db: DbOrTx = prisma,
): Promise<{
  filename: string;
  document: {
    dataset: "REAL" | "SIMULATED";
    /** Whether the figures are a pilot's (below the stated minimums), and what is missing. */
    preliminary: { isPreliminary: boolean; missing: string[] };
    /** When the results were computed and from how many ratings (always the current ratings). */
    asOf: ResultsAsOf;
    results: StudyResults;
    metrics: StudyMetrics;
  };
}> {
  requirePermission(actor, "results:export");
  const parsed = StudyResultsInput.parse(input);
  await requireStudyAccess(actor, parsed.studyId, "read", db); // its owner, collaborators and admins only
  const { results, asOf } = await currentStudyResults(parsed, db);
  const metrics = await computeStudyMetrics(parsed.studyId, db);
  const filename = exportFilename({
    studyName: results.study.name,
    contents: "results",
    isSimulated: results.dataset.label === "SIMULATED",
    extension: "json",
  });
  const { isPreliminary, missing } = results.statistics.meta.readiness;
  return {
    filename,
    document: { dataset: results.dataset.label, preliminary: { isPreliminary, missing }, asOf, results, metrics },
  };
}

import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { prisma, type DbOrTx } from "@/lib/db";
import { exportFilename } from "./dataset";
import { computeStudyMetrics, type StudyMetrics } from "./get-study-metrics";
import { computeStudyResults, type StudyResults } from "./get-study-results";
import { StudyResultsInput } from "./schemas";

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
    results: StudyResults;
    metrics: StudyMetrics;
  };
}> {
  requirePermission(actor, "results:export");
  const parsed = StudyResultsInput.parse(input);
  const results = await computeStudyResults(parsed, db);
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
    document: { dataset: results.dataset.label, preliminary: { isPreliminary, missing }, results, metrics },
  };
}

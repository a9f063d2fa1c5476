import { performance } from "node:perf_hooks";
import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { prisma, type DbOrTx } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { requireStudyAccess } from "@/lib/studies";
import { computeStudyStatisticsOfColumns, prepareItemDraws, type StudyStatistics } from "@/lib/stats";
import { annotatorTableOfColumns, type AnnotatorSummary } from "./annotator-table";
import { toStatisticsColumns } from "./build-statistics-input";
import { usesSimulatedRatings } from "./dataset";
import { itemLatencyTable, latencyResamples, speedup, systemEfficiency, type SystemEfficiency } from "./efficiency";
import { buildHeadline, headlineCriterion, type Headline } from "./headline";
import { ratingCounts, studyProgress, type StudyProgress } from "./progress";
import { computeRankingSummary, type RankingSummary } from "./ranking-summary";
import { remainingRatings } from "./settle-text";
import * as q from "./queries";
import { StudyResultsInput, type Scale } from "./schemas";

export interface StudyResults {
  study: { id: string; name: string; status: string; annotatorsPerPair: number; nonInferiorityMargin: number };
  /** Which ratings the figures use. Simulated ones only when the study has no real ones. */
  dataset: {
    kind: "real" | "simulated";
    label: "REAL" | "SIMULATED";
    realRatings: number;
    simulatedRatings: number;
    /** Ratings of paused annotators, left out of every statistic (still in the annotator table). */
    excludedRatings: number;
    excludedAnnotators: string[];
  };
  scale: Scale;
  systems: { id: string; name: string; role: "TEACHER" | "STUDENT"; kind: string }[];
  criteria: { key: string; label: string }[];
  statistics: StudyStatistics;
  /** The same statistics without the flagged annotators (too fast, failed gold, straight-lining); null when none is flagged. */
  withoutFlagged: { annotators: string[]; statistics: StudyStatistics } | null;
  progress: StudyProgress;
  annotators: AnnotatorSummary[];
  efficiency: SystemEfficiency[];
  headlines: Headline[];
  /** A RANKING study's own figures (mean rank, share at or above the teacher); null for a pairwise study. */
  ranking: RankingSummary | null;
  computedAt: string;
  /** Server time: loading, computeStudyStatistics alone, and all computing (statistics included). */
  timings: { loadMs: number; statisticsMs: number; computeMs: number };
}

/**
 * A study's results for researchers, computed now: statistics, progress, annotators, efficiency
 * and the headline. Pages use `viewStudyResults` (the stored result) instead.
 */
export async function getStudyResults(
  actor: Actor | null,
  input: { studyId: string; scale?: string },
  db: DbOrTx = prisma,
): Promise<StudyResults> {
  requirePermission(actor, "results:read");
  const parsed = StudyResultsInput.parse(input);
  await requireStudyAccess(actor, parsed.studyId, "read", db); // its owner, collaborators and admins only
  return computeStudyResults(parsed, db);
}

/** The same, without the permission check: for use cases that checked their own (exports). */
export async function computeStudyResults(
  input: { studyId: string; scale: Scale },
  db: DbOrTx = prisma,
): Promise<StudyResults> {
  const started = performance.now();
  const study = await q.findStudyHeader(input.studyId, db);
  if (!study) throw new NotFoundError("No such study");
  // The real ratings are loaded at once, beside the small queries: a study falls back to its
  // simulated ratings only when it has no real ones, and then this load is empty and cheap.
  const criteriaLoaded = q.listStudyCriteria(study.id, db);
  const realColumns = criteriaLoaded.then((c) =>
    q.loadRatingColumns({ studyId: study.id, isSimulated: false, criteria: c.map((x) => x.key) }, db),
  );
  const [systems, criteria, counts, participants, checkPairs, pairCounts, regularItems, ranking] = await Promise.all([
    q.listStudySystems(study, db),
    criteriaLoaded,
    q.countRatingsByKind(study.id, db),
    q.listParticipants(study.id, db),
    q.loadCheckPairs(study.id, db),
    q.countPairs(study.id, db),
    q.countRegularItems(study.id, db),
    // Only a RANKING study has screens: a pairwise study spends no query on them.
    study.design === "RANKING" ? computeRankingSummary(study.id, db) : null,
  ]);
  const isSimulated = usesSimulatedRatings(counts);
  const criteriaKeys = criteria.map((c) => c.key);
  const loadedColumns = isSimulated
    ? Promise.all([
        realColumns,
        q.loadRatingColumns({ studyId: study.id, isSimulated, criteria: criteriaKeys }, db),
      ]).then(([, simulated]) => simulated)
    : realColumns;
  // Efficiency needs only the output timings: computed while the ratings are still loading.
  const timings = await q.loadOutputTimings({ evalSetId: study.evalSetId, systems }, db);
  const efficiencyStarted = performance.now();
  const efficiency = systemEfficiency(systems, timings);
  const latencyTable = itemLatencyTable(timings);
  const resamples = latencyResamples(latencyTable);
  const faster = new Map(
    efficiency
      .slice(1)
      .map((student) => [
        student.systemId,
        speedup({ table: latencyTable, teacherId: efficiency[0].systemId, studentId: student.systemId, resamples }),
      ]),
  );
  const statisticsOptions = {
    testScale: input.scale,
    margin: study.nonInferiorityMargin,
    plannedAnnotatorsPerItem: study.annotatorsPerPair,
    itemsPerAnnotator: study.maxPairsPerAnnotator,
  };
  const efficiencyMs = performance.now() - efficiencyStarted;
  // The statistics' item draws, made while the ratings still load (so counted in the load
  // time): at most every item with a regular pair is rated, and the computation takes them only
  // if its item count is covered.
  const itemDraws = prepareItemDraws(regularItems, statisticsOptions);
  const columns = await loadedColumns;
  const known = new Set(participants.map((p) => p.userId));
  const strangers = columns.annotatorIds.filter((id) => !known.has(id));
  const names = strangers.length ? await q.pseudonymsOf(strangers, db) : new Map<string, string>();
  const loadMs = performance.now() - started - efficiencyMs;

  const computeStarted = performance.now();
  const paused = new Set(participants.filter((p) => p.isPaused).map((p) => p.userId));
  const annotators = annotatorTableOfColumns({
    columns,
    criteria: criteriaKeys,
    annotators: [
      ...participants.map((p) => ({
        annotatorId: p.userId,
        pseudonym: p.pseudonym,
        isPaused: p.isPaused,
        pausedReason: p.pausedReason,
      })),
      ...strangers.map((id) => ({
        annotatorId: id,
        pseudonym: names.get(id) ?? "unknown",
        isPaused: false,
        pausedReason: null,
      })),
    ],
    checkPairs: new Map(checkPairs.map((p) => [p.id, p])),
  });
  // Columns straight from SQL: no row objects, and no zod parse of 800,000 rows.
  const statisticsOf = (excluded: ReadonlySet<string>) =>
    computeStudyStatisticsOfColumns(
      toStatisticsColumns({
        columns,
        teacherSystemId: study.teacherSystemId,
        systemIds: systems.map((s) => s.id),
        criteria: criteria.map((c) => ({ id: c.key, label: c.label, level: "ordinal" as const })),
        excludedAnnotators: excluded,
      }),
      statisticsOptions,
      { itemDraws },
    );
  const statisticsStarted = performance.now();
  const statistics = statisticsOf(paused);
  const statisticsMs = performance.now() - statisticsStarted;
  // Flagged annotators (still counted above) left out as well, for the side-by-side view.
  const flagged = annotators.filter((a) => a.flags.length > 0 && !a.isPaused);
  const withoutFlagged = flagged.length
    ? {
        annotators: flagged.map((a) => a.pseudonym),
        statistics: statisticsOf(new Set([...paused, ...flagged.map((a) => a.annotatorId)])),
      }
    : null;
  const teacher = efficiency[0];
  const criterion = headlineCriterion(criteria);
  const progress = studyProgress({
    counts: ratingCounts(columns),
    systems,
    pairCounts,
    k: study.annotatorsPerPair,
    annotators,
  });
  const headlines = efficiency.slice(1).map((student) =>
    buildHeadline({
      student,
      teacher,
      criterion,
      statistics,
      faster: faster.get(student.systemId)!,
      remainingRatings: remainingRatings(progress, student.systemId),
    }),
  );
  let excludedRatings = 0;
  for (const a of columns.annotator) if (paused.has(columns.annotatorIds[a])) excludedRatings++;
  return {
    study: {
      id: study.id,
      name: study.name,
      status: study.status,
      annotatorsPerPair: study.annotatorsPerPair,
      nonInferiorityMargin: study.nonInferiorityMargin,
    },
    dataset: {
      kind: isSimulated ? "simulated" : "real",
      label: isSimulated ? "SIMULATED" : "REAL",
      realRatings: counts.real,
      simulatedRatings: counts.simulated,
      excludedRatings,
      excludedAnnotators: participants.filter((p) => p.isPaused).map((p) => p.pseudonym),
    },
    scale: input.scale,
    systems: systems.map((s) => ({ id: s.id, name: s.name, role: s.role, kind: s.kind })),
    criteria,
    statistics,
    withoutFlagged,
    progress,
    annotators,
    efficiency,
    headlines,
    ranking,
    computedAt: new Date().toISOString(),
    timings: { loadMs, statisticsMs, computeMs: performance.now() - computeStarted + efficiencyMs },
  };
}

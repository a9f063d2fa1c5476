/**
 * The results page's statistics in one call: descriptives per system and criterion, paired
 * student-vs-teacher comparisons, direct preferences, Bradley-Terry strengths, position bias and
 * inter-annotator agreement, each with its CI / p / Holm-adjusted p or the reason it is missing.
 *
 * Bootstrap: items are the resampling unit throughout. One set of B item draws (seeded by
 * options.seed) is shared by every figure, so each replicate is one resampled study and the
 * figures' intervals are mutually consistent; it also means drawing 2,000 x B indices once
 * instead of once per figure. A figure on a subset of items (a student rated on some items only)
 * skips the drawn items it lacks. Krippendorff's alpha resamples items too, each bringing all of
 * its rated outputs (its units), because outputs of one source item are not independent.
 * The same input and seed always give the same JSON.
 */
import { aggregateRatingColumns } from "./aggregate-ratings";
import { bootstrapMeanCI, type BootstrapOptions, drawRaw, drawResamples, type RawDraws } from "./bootstrap";
import { summarize } from "./descriptive";
import { holmAdjust } from "./holm";
import { columnsFromRows, type StatisticsColumns } from "./columns";
import { krippendorffAlphaOfUnits } from "./krippendorff";
import { comparePairedMany, type PairedScores, PENDING_INTERVAL } from "./paired-comparison";
import { preferenceStatisticsOfColumns } from "./preference-statistics";
import { deriveSeed } from "./random";
import type { StudyStatistics, SystemCriterionSummary } from "./result-types";
import { StudyStatisticsOptionsSchema, type StudyStatisticsInputRaw, type StudyStatisticsOptions } from "./schemas";
import { assessReadiness } from "./readiness";
import { checkItemsForMean, type Figure, insufficient, sufficient } from "./sufficiency";
import { applyTwoWay } from "./two-way-figures";

export const INTERVAL_METHOD =
  "Rating intervals: two-way (items x annotators) cluster bootstrap, percentile; agreement and preference intervals resample items.";

/** 25 million stored item draws = 100 MB; beyond that each figure redraws them. */
const MAX_STORED_DRAWS = 25_000_000;

export const HOLM_FAMILIES = [
  "Wilcoxon tests: all students x rating criteria",
  "Sign tests on rating wins/losses: all students x rating criteria",
  "Sign tests on preferences: all students x preference criteria",
];

/** Computes the full statistics bundle of a study from plain rating and preference rows. */
export function computeStudyStatistics(input: StudyStatisticsInputRaw): StudyStatistics {
  return computeStudyStatisticsOfColumns(columnsFromRows(input), input.options);
}

/**
 * The item draws' costly part for a study of at most maxItems rated items, made before its
 * ratings are known (the results page makes them while the ratings load). Null where they would
 * not be stored anyway. Pass them to computeStudyStatisticsOfColumns as `prepared.itemDraws`.
 */
export function prepareItemDraws(maxItems: number, rawOptions: Partial<StudyStatisticsOptions> = {}): RawDraws | null {
  const options = StudyStatisticsOptionsSchema.parse(rawOptions);
  if (maxItems < 1 || maxItems * options.bootstrapSamples > MAX_STORED_DRAWS) return null;
  return drawRaw({ maxUnits: maxItems, samples: options.bootstrapSamples, seed: deriveSeed(options.seed, "items") });
}

/**
 * The same from columns (the results page builds them straight from SQL). `prepared.itemDraws`
 * (prepareItemDraws) are used when they match this computation's seed, B and item count; the
 * figures are the same either way.
 */
export function computeStudyStatisticsOfColumns(
  columns: StatisticsColumns,
  rawOptions: Partial<StudyStatisticsOptions> = {},
  prepared: { itemDraws?: RawDraws | null } = {},
): StudyStatistics {
  const options = StudyStatisticsOptionsSchema.parse(rawOptions);
  const { criteria, systemIds } = columns;
  const teacherId = systemIds[0];
  const teacher = 0;
  const tables = aggregateRatingColumns({
    ratings: columns.ratings,
    itemCount: columns.itemCount,
    systemCount: systemIds.length,
    annotatorIds: columns.annotatorIds,
    pairCount: columns.pairCount,
    criteria,
    teacher,
  });
  const { itemCount: I, systemCount: S } = tables;
  const itemSeed = deriveSeed(options.seed, "items");
  const bootstrap: BootstrapOptions = {
    level: options.level,
    samples: options.bootstrapSamples,
    seed: itemSeed,
    // Every figure draws items with the same seed, so stored draws and fresh draws are the same
    // numbers; storing them only saves time, and is skipped when it would take too much memory.
    resamples:
      I * options.bootstrapSamples <= MAX_STORED_DRAWS
        ? drawResamples({
            unitCount: I,
            samples: options.bootstrapSamples,
            seed: itemSeed,
            raw: prepared.itemDraws ?? undefined,
          })
        : undefined,
  };

  // The rating intervals (each mean, each comparison's differences and relative score) are the
  // two-way cluster ones (applyTwoWay), so the item bootstrap runs here only for the win/tie/loss
  // shares; an interval the two-way step cannot give is bootstrapped after it, as before.
  const descriptives: StudyStatistics["descriptives"] = [];
  const itemMeans: Float64Array[] = [];
  const comparisons: StudyStatistics["comparisons"] = [];
  const comparisonScores: PairedScores[] = [];
  criteria.forEach((criterion, c) => {
    const teacherBase = (c * S + teacher) * I;
    const students: number[] = [];
    const scores: PairedScores[] = [];
    const isZ = options.testScale === "z";
    for (let s = 0; s < S; s++) {
      if (s === teacher) continue;
      const base = (c * S + s) * I;
      // Indexed by item, NaN where the item is not paired.
      const studentRaw = new Float64Array(I).fill(NaN);
      const teacherRaw = new Float64Array(I).fill(NaN);
      const studentZ = new Float64Array(I).fill(NaN);
      const teacherZ = new Float64Array(I).fill(NaN);
      for (let i = 0; i < I; i++) {
        const count = tables.count[base + i];
        if (count === 0) continue;
        // Prefer teacher ratings made beside this student; fall back to all of the item's.
        const matched = tables.matchedTeacherCount[base + i];
        const [tRaw, tZ, tCount] =
          matched > 0
            ? [tables.matchedTeacherRaw[base + i], tables.matchedTeacherZ[base + i], matched]
            : [tables.rawSum[teacherBase + i], tables.zSum[teacherBase + i], tables.count[teacherBase + i]];
        if (tCount === 0) continue;
        studentRaw[i] = tables.rawSum[base + i] / count;
        studentZ[i] = tables.zSum[base + i] / count;
        teacherRaw[i] = tRaw / tCount;
        teacherZ[i] = tZ / tCount;
      }
      students.push(s);
      scores.push({
        studentRaw,
        teacherRaw,
        studentTest: isZ ? studentZ : undefined,
        teacherTest: isZ ? teacherZ : undefined,
      });
    }
    const criterionComparisons: StudyStatistics["comparisons"] = comparePairedMany(scores, {
      ...bootstrap,
      intervals: "shares",
    }).map(({ figure }, j) => ({ studentSystemId: systemIds[students[j]], criterion: criterion.id, result: figure }));
    for (let s = 0; s < S; s++) {
      const base = (c * S + s) * I;
      // NaN: item not rated for this system (skipped by the shared draws).
      const means = new Float64Array(I);
      let ratings = 0;
      for (let i = 0; i < I; i++) {
        const count = tables.count[base + i];
        means[i] = count > 0 ? tables.rawSum[base + i] / count : NaN;
        ratings += count;
      }
      itemMeans.push(means);
      descriptives.push({ systemId: systemIds[s], criterion: criterion.id, result: describe(means, ratings) });
    }
    comparisons.push(...criterionComparisons);
    comparisonScores.push(...scores);
  });

  const preference = preferenceStatisticsOfColumns({
    preferences: columns.preferences,
    criteria: columns.preferenceCriteria,
    systemIds,
    displayedSystems: S,
    teacher,
    pairCount: columns.pairCount,
    itemCount: I,
    bootstrap,
  });
  const ratingAgreement = criteria.map((criterion, c) => ({
    criterion: criterion.id,
    level: criterion.level,
    result:
      tables.alphaUnits[c].item.length === 0
        ? insufficient("no ratings on this criterion yet")
        : krippendorffAlphaOfUnits({
            units: tables.alphaUnits[c],
            level: criterion.level,
            bootstrap,
            clusters: { clusterOf: tables.alphaUnits[c].item, count: I },
          }),
  }));

  const annotatorsUsed = countDistinctAnnotators(columns);
  const { nonInferiority, plans } = applyTwoWay({
    columns,
    tables,
    statistics: { descriptives, comparisons, preferences: preference.vsTeacher },
    options,
    teacher,
    annotatorsUsed,
  });
  fillPendingIntervals({ descriptives, itemMeans, comparisons, comparisonScores, bootstrap });

  applyHolm(comparisons.map((x) => (x.result.ok ? x.result.wilcoxon : null)));
  applyHolm(comparisons.map((x) => (x.result.ok ? x.result.winTieLoss.signTest : null)));
  applyHolm(preference.vsTeacher.map((x) => (x.result.ok ? x.result.signTest : null)));

  const warnings: string[] = [];
  if (tables.constantAnnotators.length > 0) {
    const list = tables.constantAnnotators.map((a) => `${a.annotatorId} (${a.criterion})`).join(", ");
    warnings.push(`These annotators gave one value throughout a criterion, so their z-scores are 0: ${list}`);
  }
  if (tables.ignoredRatings > 0)
    warnings.push(`${tables.ignoredRatings} ratings on criteria not in the criteria list were ignored`);
  if (tables.duplicateRatings > 0) {
    warnings.push(
      `${tables.duplicateRatings} repeated ratings of the same output by the same annotator were left out of agreement`,
    );
  }

  return {
    meta: {
      teacherSystemId: teacherId,
      systemIds,
      studentSystemIds: systemIds.filter((id) => id !== teacherId),
      criteria: criteria.map((c) => ({ id: c.id, label: c.label ?? c.id, level: c.level })),
      preferenceCriteria: preference.bradleyTerry.map((b) => b.criterion),
      counts: {
        ratings: columns.ratings.length,
        preferences: columns.preferences.length,
        items: I,
        annotators: annotatorsUsed,
      },
      options,
      intervalMethod: INTERVAL_METHOD,
      readiness: assessReadiness(columns.ratings, I, columns.annotatorIds.length),
      holmFamilies: HOLM_FAMILIES,
      warnings,
    },
    descriptives,
    comparisons,
    preferences: preference.vsTeacher,
    nonInferiority,
    plans,
    bradleyTerry: preference.bradleyTerry,
    positionBias: preference.positionBias,
    agreement: { ratings: ratingAgreement, preferences: preference.agreement },
  };
}

function countDistinctAnnotators(columns: StatisticsColumns) {
  const seen = new Uint8Array(columns.annotatorIds.length);
  for (const a of columns.ratings.annotator) seen[a] = 1;
  for (const a of columns.preferences.annotator) seen[a] = 1;
  return seen.reduce((n, x) => n + x, 0);
}

/** A mean's summary; its interval is the two-way one, or the item bootstrap's (fillPendingIntervals). */
function describe(means: Float64Array, ratings: number): Figure<SystemCriterionSummary> {
  const rated = means.filter((m) => !Number.isNaN(m));
  const short = checkItemsForMean(rated.length);
  if (short) return short;
  const summary = summarize(rated);
  return sufficient({
    items: rated.length,
    ratings,
    mean: summary.mean,
    median: summary.median,
    q1: summary.q1,
    q3: summary.q3,
    sd: Number.isFinite(summary.sd) ? summary.sd : null,
    meanCI: PENDING_INTERVAL,
  });
}

/**
 * The item bootstrap's intervals where the two-way step left a figure pending: a comparison
 * whose teacher side falls back on ratings made beside another student (its paired
 * observations do not cover its items), or a mean it did not reach.
 */
function fillPendingIntervals(args: {
  descriptives: StudyStatistics["descriptives"];
  itemMeans: Float64Array[];
  comparisons: StudyStatistics["comparisons"];
  comparisonScores: PairedScores[];
  bootstrap: BootstrapOptions;
}) {
  const { descriptives, itemMeans, comparisons, comparisonScores, bootstrap } = args;
  descriptives.forEach((d, j) => {
    if (d.result.ok && d.result.meanCI === PENDING_INTERVAL) d.result.meanCI = bootstrapMeanCI(itemMeans[j], bootstrap);
  });
  const isPending = (r: StudyStatistics["comparisons"][number]["result"]) =>
    r.ok && [r.meanDifference, r.meanDifferenceTestScale, r.relativeScore].includes(PENDING_INTERVAL);
  const pending = comparisons.flatMap((cmp, j) => (isPending(cmp.result) ? [j] : []));
  if (pending.length === 0) return;
  const full = comparePairedMany(
    pending.map((j) => comparisonScores[j]),
    bootstrap,
  );
  pending.forEach((j, k) => {
    const r = comparisons[j].result;
    const f = full[k].figure;
    if (!r.ok || !f.ok) return;
    if (r.meanDifference === PENDING_INTERVAL) r.meanDifference = f.meanDifference;
    if (r.meanDifferenceTestScale === PENDING_INTERVAL) r.meanDifferenceTestScale = f.meanDifferenceTestScale;
    if (r.relativeScore === PENDING_INTERVAL) r.relativeScore = f.relativeScore;
  });
}

/** Writes Holm-adjusted p-values into the tests of one family (tests that did not run are skipped). */
function applyHolm(tests: ({ ok: true; p: number; pHolm: number | null } | { ok: false } | null)[]) {
  const ps = tests.map((t) => (t && t.ok ? t.p : null));
  const adjusted = holmAdjust(ps);
  tests.forEach((t, i) => {
    if (t && t.ok) t.pHolm = adjusted[i];
  });
}

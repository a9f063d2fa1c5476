/**
 * The bundle's intervals that rest on ratings, recomputed so that they account for annotators as
 * well as items (two-way-cluster.ts): each student's comparison with the teacher (mean
 * difference, test-scale difference, relative score) and each system's mean. Then the
 * non-inferiority verdicts, the sample-size plans from the ratings so far, and the honesty
 * rules: no interval where the data have no spread (say what every rating was instead), and no
 * p-value from a single annotator.
 */
import type { RatingTables } from "./aggregate-ratings";
import type { BootstrapInterval } from "./bootstrap";
import type { StatisticsColumns } from "./columns";
import { type NonInferiority, type NonInferiorityInput, nonInferiorityFamily } from "./non-inferiority";
import { estimateSpread, type Plan, planNonInferiority, type Spread } from "./power";
import type { StudyStatistics } from "./result-types";
import type { StudyStatisticsOptions } from "./schemas";
import { type Figure, insufficient, sufficient } from "./sufficiency";
import {
  type ClusteredInterval,
  type ClusteredObservations,
  PAIRED_STATISTICS,
  twoWayInterval,
  twoWayVariance,
} from "./two-way-cluster";

export const ONE_ANNOTATOR_REASON =
  "one annotator: a p-value would speak only for this annotator's ratings, and no test generalises over annotators from one";

export type PlanFigure = Figure<Plan & { spread: Spread }>;

interface PairObservations {
  item: Int32Array;
  annotator: Int32Array;
  studentRaw: Float64Array;
  teacherRaw: Float64Array;
  studentZ: Float64Array;
  teacherZ: Float64Array;
}

/** Rewrites the rating intervals in place and returns the verdicts and plans. */
export function applyTwoWay(args: {
  columns: StatisticsColumns;
  tables: RatingTables;
  statistics: Pick<StudyStatistics, "descriptives" | "comparisons" | "preferences">;
  options: StudyStatisticsOptions;
  teacher: number;
  annotatorsUsed: number;
}): {
  nonInferiority: StudyStatistics["nonInferiority"];
  plans: StudyStatistics["plans"];
} {
  const { columns, tables, statistics, options, teacher } = args;
  const ratings = columns.ratings;
  const A = columns.annotatorIds.length;
  const C = columns.criteria.length;
  const systemIndex = new Map(columns.systemIds.map((id, s) => [id, s]));
  const isZ = options.testScale === "z";

  // One observation per rating made in a pair: the student's and the teacher's value on a criterion.
  const pairStudent = new Int32Array(columns.pairCount).fill(-1);
  for (let r = 0; r < ratings.length; r++) {
    if (ratings.criterion[r] >= 0 && ratings.pair[r] >= 0 && ratings.system[r] !== teacher)
      pairStudent[ratings.pair[r]] = ratings.system[r];
  }
  // Slot per (pair, annotator, criterion), found through one integer-keyed map; values in typed arrays.
  const slotOf = new Map<number, number>();
  const cap = ratings.length;
  const slotKey = new Int32Array(cap); // (c * S + s): the figure the slot belongs to
  const slotItem = new Int32Array(cap);
  const slotAnnotator = new Int32Array(cap);
  const slotValues = new Float64Array(cap * 4).fill(NaN);
  let slots = 0;
  const S = columns.systemIds.length;
  for (let r = 0; r < ratings.length; r++) {
    const c = ratings.criterion[r];
    const p = ratings.pair[r];
    if (c < 0 || p < 0 || pairStudent[p] < 0) continue;
    const key = (p * A + ratings.annotator[r]) * C + c;
    let slot = slotOf.get(key);
    if (slot === undefined) {
      slot = slots++;
      slotOf.set(key, slot);
      slotKey[slot] = c * S + pairStudent[p];
      slotItem[slot] = ratings.item[r];
      slotAnnotator[slot] = ratings.annotator[r];
    }
    const side = ratings.system[r] === teacher ? 1 : 0;
    slotValues[slot * 4 + side] = ratings.value[r];
    slotValues[slot * 4 + 2 + side] = tables.rowZ[r];
  }
  // Group complete slots by figure (counting sort into typed arrays).
  const counts = new Int32Array(C * S);
  for (let k = 0; k < slots; k++) {
    if (!Number.isNaN(slotValues[k * 4]) && !Number.isNaN(slotValues[k * 4 + 1])) counts[slotKey[k]]++;
  }
  const paired = new Map<number, PairObservations>();
  for (let key = 0; key < C * S; key++) {
    const m = counts[key];
    if (m === 0) continue;
    paired.set(key, {
      item: new Int32Array(m),
      annotator: new Int32Array(m),
      studentRaw: new Float64Array(m),
      teacherRaw: new Float64Array(m),
      studentZ: new Float64Array(m),
      teacherZ: new Float64Array(m),
    });
  }
  const filled = new Int32Array(C * S);
  for (let k = 0; k < slots; k++) {
    const v = k * 4;
    if (Number.isNaN(slotValues[v]) || Number.isNaN(slotValues[v + 1])) continue;
    const obs = paired.get(slotKey[k])!;
    const j = filled[slotKey[k]]++;
    obs.item[j] = slotItem[k];
    obs.annotator[j] = slotAnnotator[k];
    obs.studentRaw[j] = slotValues[v];
    obs.teacherRaw[j] = slotValues[v + 1];
    obs.studentZ[j] = slotValues[v + 2];
    obs.teacherZ[j] = slotValues[v + 3];
  }

  const level = options.level;
  const criterionIndex = new Map(columns.criteria.map((c, i) => [c.id, i]));
  const entries: (NonInferiorityInput | null)[] = [];
  const planInputs: (PairObservations | null)[] = [];
  for (const cmp of statistics.comparisons) {
    const obs = paired.get(criterionIndex.get(cmp.criterion)! * S + systemIndex.get(cmp.studentSystemId)!);
    const result = cmp.result;
    if (!result.ok || !obs || distinctCount(obs.item) !== result.n) {
      entries.push(null);
      planInputs.push(null);
      continue;
    }
    const flat = noSpread(obs);
    const rawPair: ClusteredObservations = {
      item: obs.item,
      annotator: obs.annotator,
      channels: [obs.studentRaw, obs.teacherRaw],
    };
    const testPair: ClusteredObservations = isZ ? { ...rawPair, channels: [obs.studentZ, obs.teacherZ] } : rawPair;
    const { difference, relative } = PAIRED_STATISTICS;
    result.meanDifference =
      flat ?? asInterval(twoWayInterval(rawPair, difference.statistic, difference.gradient, level));
    result.meanDifferenceTestScale =
      flat ?? asInterval(twoWayInterval(testPair, difference.statistic, difference.gradient, level));
    if (result.teacherMean > 0) {
      result.relativeScore = flat ?? asInterval(twoWayInterval(rawPair, relative.statistic, relative.gradient, level));
      const v = twoWayVariance(rawPair, relative.statistic, relative.gradient);
      entries.push({
        estimate: v.estimate,
        standardError: Math.sqrt(v.variance),
        df: v.df,
        items: result.n,
        ratings: obs.item.length,
      });
    } else entries.push(null);
    planInputs.push(obs);
  }

  // Each system's ratings per criterion, grouped in one counting-sort pass over the rows.
  const groupCount = new Int32Array(C * S + 1);
  for (let r = 0; r < ratings.length; r++) {
    if (ratings.criterion[r] >= 0) groupCount[ratings.criterion[r] * S + ratings.system[r] + 1]++;
  }
  for (let g = 0; g < C * S; g++) groupCount[g + 1] += groupCount[g];
  const groupStart = groupCount.slice();
  const byGroupItem = new Int32Array(groupCount[C * S]);
  const byGroupAnnotator = new Int32Array(groupCount[C * S]);
  const byGroupValue = new Float64Array(groupCount[C * S]);
  for (let r = 0; r < ratings.length; r++) {
    if (ratings.criterion[r] < 0) continue;
    const j = groupStart[ratings.criterion[r] * S + ratings.system[r]]++;
    byGroupItem[j] = ratings.item[r];
    byGroupAnnotator[j] = ratings.annotator[r];
    byGroupValue[j] = ratings.value[r];
  }
  for (const d of statistics.descriptives) {
    if (!d.result.ok) continue;
    const g = criterionIndex.get(d.criterion)! * S + systemIndex.get(d.systemId)!;
    const from = groupCount[g];
    const to = groupCount[g + 1];
    const values = byGroupValue.subarray(from, to);
    const first = values[0];
    if (values.every((v) => v === first)) {
      d.result.meanCI = insufficient(`no spread: all ${values.length} ratings were ${formatValue(first)}`);
      continue;
    }
    const { mean } = PAIRED_STATISTICS;
    d.result.meanCI = asInterval(
      twoWayInterval(
        { item: byGroupItem.subarray(from, to), annotator: byGroupAnnotator.subarray(from, to), channels: [values] },
        mean.statistic,
        mean.gradient,
        level,
      ),
    );
  }

  // A share whose every resample agrees (0 of 9 wins) has no interval to show, not a zero-width one.
  const dropFlat = (share: { lower: number | null; upper: number | null }) => {
    if (share.lower !== null && share.lower === share.upper) share.lower = share.upper = null;
  };
  for (const cmp of statistics.comparisons) {
    if (cmp.result.ok)
      [cmp.result.winTieLoss.wins, cmp.result.winTieLoss.ties, cmp.result.winTieLoss.losses].forEach(dropFlat);
  }
  for (const p of statistics.preferences)
    if (p.result.ok) [p.result.wins, p.result.ties, p.result.losses].forEach(dropFlat);

  if (args.annotatorsUsed < 2) {
    for (const cmp of statistics.comparisons) {
      if (!cmp.result.ok) continue;
      cmp.result.wilcoxon = insufficient(ONE_ANNOTATOR_REASON);
      cmp.result.winTieLoss.signTest = insufficient(ONE_ANNOTATOR_REASON);
    }
    for (const p of statistics.preferences) if (p.result.ok) p.result.signTest = insufficient(ONE_ANNOTATOR_REASON);
  }

  const verdicts = nonInferiorityFamily({ entries, margin: options.margin });
  const comparisons = verdicts.filter((v) => v.ok).length;
  const nonInferiority = statistics.comparisons.map((cmp, j) => ({
    studentSystemId: cmp.studentSystemId,
    criterion: cmp.criterion,
    result: verdicts[j] as Figure<NonInferiority>,
  }));
  const plans = statistics.comparisons.map((cmp, j) => ({
    studentSystemId: cmp.studentSystemId,
    criterion: cmp.criterion,
    result: planFrom(planInputs[j], options, Math.max(1, comparisons)),
  }));
  return { nonInferiority, plans };
}

function planFrom(obs: PairObservations | null, options: StudyStatisticsOptions, comparisons: number): PlanFigure {
  if (!obs) return insufficient("no paired ratings to plan from");
  const spread = estimateSpread({
    item: obs.item,
    annotator: obs.annotator,
    student: obs.studentRaw,
    teacher: obs.teacherRaw,
    margin: options.margin,
  });
  if (!spread.ok) return spread;
  const plan = planNonInferiority({
    teacherMean: spread.teacherMean,
    expectedRelative: 1,
    margin: options.margin,
    itemSd: spread.itemSd,
    residualSd: spread.residualSd,
    annotatorSd: spread.annotatorSd,
    annotatorsPerItem: options.plannedAnnotatorsPerItem ?? Math.max(1, Math.round(spread.annotatorsPerItem)),
    itemsPerAnnotator: options.itemsPerAnnotator ?? null,
    comparisons,
  });
  if (!plan.ok) return plan;
  const { ok: _ok, ...rest } = spread;
  return sufficient({ ...plan, spread: rest });
}

/** "all N ratings ..." in place of an interval when neither side's ratings vary. */
function noSpread(obs: PairObservations): Figure<BootstrapInterval> | null {
  const s = obs.studentRaw[0];
  const t = obs.teacherRaw[0];
  if (!obs.studentRaw.every((v) => v === s) || !obs.teacherRaw.every((v) => v === t)) return null;
  const n = obs.studentRaw.length;
  return insufficient(
    `no spread: all ${n} ratings of the student were ${formatValue(s)} and all ${n} of the teacher were ${formatValue(t)}`,
  );
}

function distinctCount(keys: Int32Array): number {
  let span = 0;
  for (const k of keys) if (k >= span) span = k + 1;
  const seen = new Uint8Array(span);
  let n = 0;
  for (const k of keys) {
    if (seen[k]) continue;
    seen[k] = 1;
    n++;
  }
  return n;
}

function asInterval(figure: Figure<ClusteredInterval>): Figure<BootstrapInterval> {
  if (!figure.ok) return figure;
  const { estimate, lower, upper, level, standardError, df, annotators } = figure;
  return {
    ok: true,
    estimate,
    lower,
    upper,
    level,
    samples: 0,
    failures: 0,
    method: "two-way-cluster",
    standardError,
    df,
    annotators,
  };
}

function formatValue(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(2);
}

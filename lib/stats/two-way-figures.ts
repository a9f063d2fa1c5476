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
import type { RatingColumns, StatisticsColumns } from "./columns";
import { type NonInferiority, type NonInferiorityInput, nonInferiorityFamily } from "./non-inferiority";
import { estimateSpread, type Plan, planNonInferiority, type Spread } from "./power";
import type { StudyStatistics } from "./result-types";
import type { StudyStatisticsOptions } from "./schemas";
import { type Figure, insufficient, sufficient } from "./sufficiency";
import {
  type ClusteredInterval,
  clusterLayout,
  intervalOfVariance,
  PAIRED_STATISTICS,
  twoWayVarianceOf,
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

/**
 * Slot per (pair, annotator, criterion) among the rows of pairs with a student, numbered by
 * first appearance: its first row (item, annotator) and the last row on each side (student at
 * 2 * slot, teacher at 2 * slot + 1; -1 when none). Each pair keeps a short chain of its
 * annotators, each with a block of C slot numbers, so no map over all rows' keys is needed; a
 * rating's rows come together, so the previous row's block is tried first.
 */
function pairedSlots(ratings: RatingColumns, pairStudent: Int32Array, C: number, teacher: number) {
  const n = ratings.length;
  const slotFirst = new Int32Array(n);
  const slotSide = new Int32Array(2 * n).fill(-1);
  const pairHead = new Int32Array(pairStudent.length).fill(-1);
  let capacity = 1024;
  let blockPair = new Int32Array(capacity);
  let blockAnnotator = new Int32Array(capacity);
  let blockNext = new Int32Array(capacity);
  let blockSlots = new Int32Array(capacity * C);
  let blocks = 0;
  let slots = 0;
  let last = -1;
  for (let r = 0; r < n; r++) {
    const c = ratings.criterion[r];
    const p = ratings.pair[r];
    if (c < 0 || p < 0 || pairStudent[p] < 0) continue;
    const a = ratings.annotator[r];
    let block = last >= 0 && blockPair[last] === p && blockAnnotator[last] === a ? last : pairHead[p];
    while (block >= 0 && blockAnnotator[block] !== a) block = blockNext[block];
    if (block < 0) {
      if (blocks === capacity) {
        capacity *= 2;
        blockPair = grow(blockPair, capacity);
        blockAnnotator = grow(blockAnnotator, capacity);
        blockNext = grow(blockNext, capacity);
        blockSlots = grow(blockSlots, capacity * C);
      }
      block = blocks++;
      blockPair[block] = p;
      blockAnnotator[block] = a;
      blockNext[block] = pairHead[p];
      pairHead[p] = block;
      blockSlots.fill(-1, block * C, (block + 1) * C);
    }
    last = block;
    let slot = blockSlots[block * C + c];
    if (slot < 0) {
      slot = blockSlots[block * C + c] = slots++;
      slotFirst[slot] = r;
    }
    slotSide[2 * slot + (ratings.system[r] === teacher ? 1 : 0)] = r;
  }
  return { slots, slotFirst, slotSide };
}

function grow(array: Int32Array, length: number): Int32Array<ArrayBuffer> {
  const out = new Int32Array(length);
  out.set(array);
  return out;
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
  const C = columns.criteria.length;
  const systemIndex = new Map(columns.systemIds.map((id, s) => [id, s]));
  const isZ = options.testScale === "z";

  // One observation per rating made in a pair: the student's and the teacher's value on a criterion.
  const pairStudent = new Int32Array(columns.pairCount).fill(-1);
  for (let r = 0; r < ratings.length; r++) {
    if (ratings.criterion[r] >= 0 && ratings.pair[r] >= 0 && ratings.system[r] !== teacher)
      pairStudent[ratings.pair[r]] = ratings.system[r];
  }
  const S = columns.systemIds.length;
  const { slots, slotFirst, slotSide } = pairedSlots(ratings, pairStudent, C, teacher);
  // A slot is complete when both sides hold a value (NaN counts as none, as it always has).
  const isComplete = (slot: number) => {
    const student = slotSide[2 * slot];
    const teacherRow = slotSide[2 * slot + 1];
    return (
      student >= 0 &&
      teacherRow >= 0 &&
      !Number.isNaN(ratings.value[student]) &&
      !Number.isNaN(ratings.value[teacherRow])
    );
  };
  const figureOf = (slot: number) => {
    const r = slotFirst[slot];
    return ratings.criterion[r] * S + pairStudent[ratings.pair[r]];
  };
  // Group complete slots by figure (counting sort into typed arrays).
  const counts = new Int32Array(C * S);
  for (let k = 0; k < slots; k++) {
    if (isComplete(k)) counts[figureOf(k)]++;
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
    if (!isComplete(k)) continue;
    const student = slotSide[2 * k];
    const teacherRow = slotSide[2 * k + 1];
    const key = figureOf(k);
    const obs = paired.get(key)!;
    const j = filled[key]++;
    obs.item[j] = ratings.item[slotFirst[k]];
    obs.annotator[j] = ratings.annotator[slotFirst[k]];
    obs.studentRaw[j] = ratings.value[student];
    obs.teacherRaw[j] = ratings.value[teacherRow];
    obs.studentZ[j] = tables.rowZ[student];
    obs.teacherZ[j] = tables.rowZ[teacherRow];
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
    // One layout (weights, clusters) serves the figure's three statistics.
    const layout = clusterLayout(obs.item, obs.annotator);
    const raw = [obs.studentRaw, obs.teacherRaw];
    const test = isZ ? [obs.studentZ, obs.teacherZ] : raw;
    const { difference, relative } = PAIRED_STATISTICS;
    const differenceRaw = () => twoWayVarianceOf(layout, raw, difference.statistic, difference.gradient);
    result.meanDifference = flat ?? asInterval(intervalOfVariance(differenceRaw(), level));
    result.meanDifferenceTestScale =
      flat ??
      asInterval(
        intervalOfVariance(
          test === raw ? differenceRaw() : twoWayVarianceOf(layout, test, difference.statistic, difference.gradient),
          level,
        ),
      );
    if (result.teacherMean > 0) {
      const v = twoWayVarianceOf(layout, raw, relative.statistic, relative.gradient);
      result.relativeScore = flat ?? asInterval(intervalOfVariance(v, level));
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
    const layout = clusterLayout(byGroupItem.subarray(from, to), byGroupAnnotator.subarray(from, to));
    d.result.meanCI = asInterval(
      intervalOfVariance(twoWayVarianceOf(layout, [values], mean.statistic, mean.gradient), level),
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

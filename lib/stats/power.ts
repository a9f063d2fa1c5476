/**
 * Sample-size planning for non-inferiority at a relative margin m. The claim "student >= (1 - m)
 * x teacher" is a claim about y = student - (1 - m) * teacher, rated in the same pair: its mean
 * must be above 0. With n items, k annotators per item and A annotators in all, the estimate's
 * variance under the two-way random-effects model is
 *   var = (itemSd^2 + residualSd^2 / k) / n + annotatorSd^2 / A,
 * and the normal-approximation power of the one-sided test at level alpha / comparisons is
 * Phi(delta / sqrt(var) - z(1 - alpha / comparisons)), with delta = teacherMean * (expected - (1 - m)).
 * The plan is the smallest n with power >= the target; A follows from the per-annotator cap.
 * The Python reference (reference/make_reference.py) solves the same model independently.
 */
import { normalCdf, normalQuantile } from "./distributions";
import { type Figure, insufficient, sufficient } from "./sufficiency";

export interface PlanInput {
  /** Mean rating of the teacher on the raw scale (e.g. 4.2 on a 1-5 scale). */
  teacherMean: number;
  /** The student's true share of the teacher's score you expect (1 = as good). */
  expectedRelative: number;
  margin: number;
  /** SD between items of y = student - (1 - margin) * teacher (item means). */
  itemSd: number;
  /** SD of y between annotators on one item (rating noise). */
  residualSd: number;
  /** SD of annotators' systematic leaning on y. */
  annotatorSd: number;
  annotatorsPerItem: number;
  /** Most items one annotator rates; null: every annotator may rate every item. */
  itemsPerAnnotator: number | null;
  /** Student x criterion comparisons the verdicts are corrected over. */
  comparisons: number;
  alpha?: number;
  power?: number;
}

export interface Plan {
  items: number;
  annotators: number;
  ratings: number;
  power: number;
  delta: number;
}

const MAX_ITEMS = 1_000_000;

function annotatorsFor(n: number, input: PlanInput): number {
  const k = input.annotatorsPerItem;
  return input.itemsPerAnnotator ? Math.max(k, Math.ceil((n * k) / input.itemsPerAnnotator)) : k;
}

/** Power of the design with n items. */
export function nonInferiorityPower(n: number, input: PlanInput): number {
  const alpha = (input.alpha ?? 0.025) / Math.max(1, input.comparisons);
  const delta = input.teacherMean * (input.expectedRelative - (1 - input.margin));
  const A = annotatorsFor(n, input);
  const variance =
    (input.itemSd ** 2 + input.residualSd ** 2 / input.annotatorsPerItem) / n + input.annotatorSd ** 2 / A;
  if (variance === 0) return delta > 0 ? 1 : 0;
  return normalCdf(delta / Math.sqrt(variance) - normalQuantile(1 - alpha));
}

/** The smallest design (items, annotators) that reaches the target power, or why none does. */
export function planNonInferiority(input: PlanInput): Figure<Plan> {
  const target = input.power ?? 0.8;
  const delta = input.teacherMean * (input.expectedRelative - (1 - input.margin));
  if (!(input.annotatorsPerItem >= 1)) return insufficient("annotators per item must be at least 1");
  if (!(delta > 0)) {
    return insufficient(
      `a student expected at ${(100 * input.expectedRelative).toFixed(1)}% of the teacher cannot be shown to be above ${(100 * (1 - input.margin)).toFixed(1)}%`,
    );
  }
  if (nonInferiorityPower(MAX_ITEMS, input) < target) {
    return insufficient(
      input.itemsPerAnnotator
        ? `no number of items up to ${MAX_ITEMS} reaches ${100 * target}% power`
        : `annotator disagreement alone keeps power below ${100 * target}% with ${input.annotatorsPerItem} annotators rating every item: cap the items per annotator so that more annotators take part`,
    );
  }
  // Power rises with n (the variance only falls), so bisect for the first n that reaches it.
  let lo = 1;
  let hi = MAX_ITEMS;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (nonInferiorityPower(mid, input) >= target) hi = mid;
    else lo = mid + 1;
  }
  return sufficient({
    items: lo,
    annotators: annotatorsFor(lo, input),
    ratings: lo * input.annotatorsPerItem,
    power: nonInferiorityPower(lo, input),
    delta,
  });
}

/**
 * About how many more ratings would settle an inconclusive verdict if the estimate held: the
 * interval's half-width on the estimate's side shrinks as 1 / sqrt(items), so it clears the
 * threshold at items * (halfWidth / gap)^2 items. Null when the estimate sits on the threshold.
 */
export function additionalRatings(args: {
  estimate: number;
  lower: number;
  upper: number;
  threshold: number;
  items: number;
  ratings: number;
}): number | null {
  const gap = Math.abs(args.estimate - args.threshold);
  if (gap === 0 || args.items === 0) return null;
  const halfWidth = args.estimate >= args.threshold ? args.estimate - args.lower : args.upper - args.estimate;
  if (halfWidth <= gap) return 0;
  const needed = Math.ceil(args.items * (halfWidth / gap) ** 2);
  return Math.ceil(((needed - args.items) * args.ratings) / args.items);
}

export interface Spread {
  teacherMean: number;
  itemSd: number;
  residualSd: number;
  annotatorSd: number;
  annotatorsPerItem: number;
  items: number;
}

/**
 * Variance components of y = student - (1 - margin) * teacher from a pilot's paired ratings
 * (moment estimators): residual from the pooled within-item variance, item and annotator from
 * the variance of their means less the residual share they carry, floored at 0.
 */
export function estimateSpread(args: {
  item: ArrayLike<number>;
  annotator: ArrayLike<number>;
  student: ArrayLike<number>;
  teacher: ArrayLike<number>;
  margin: number;
}): Figure<Spread> {
  const n = args.item.length;
  const y = new Float64Array(n);
  for (let r = 0; r < n; r++) y[r] = args.student[r] - (1 - args.margin) * args.teacher[r];
  const byItem = groupIndices(args.item);
  const byAnnotator = groupIndices(args.annotator);
  if (byItem.groups < 2) return insufficient(`a pilot needs ratings of at least 2 items (has ${byItem.groups})`);
  // Groups in order of first appearance, rows in order within each: the sums run in the order
  // they always have.
  const itemMeans = new Float64Array(byItem.groups);
  let within = 0;
  let withinDf = 0;
  let teacherSum = 0;
  let inverseSizes = 0;
  for (let g = 0; g < byItem.groups; g++) {
    const from = byItem.start[g];
    const to = byItem.start[g + 1];
    const size = to - from;
    let sum = 0;
    for (let j = from; j < to; j++) sum += y[byItem.rows[j]];
    const m = sum / size;
    itemMeans[g] = m;
    for (let j = from; j < to; j++) within += (y[byItem.rows[j]] - m) ** 2;
    withinDf += size - 1;
    let teacher = 0;
    for (let j = from; j < to; j++) teacher += args.teacher[byItem.rows[j]];
    teacherSum += teacher / size;
    inverseSizes += 1 / size;
  }
  if (withinDf === 0) return insufficient("a pilot needs at least one item rated by two annotators");
  const residual = within / withinDf;
  const itemVariance = sampleVariance(itemMeans) - residual * (inverseSizes / byItem.groups);
  let annotatorVariance = 0;
  if (byAnnotator.groups >= 2) {
    const means = new Float64Array(byAnnotator.groups);
    let inverse = 0;
    for (let g = 0; g < byAnnotator.groups; g++) {
      const from = byAnnotator.start[g];
      const to = byAnnotator.start[g + 1];
      let sum = 0;
      for (let j = from; j < to; j++) {
        const r = byAnnotator.rows[j];
        sum += y[r] - itemMeans[byItem.groupOf[r]];
      }
      means[g] = sum / (to - from);
      inverse += 1 / (to - from);
    }
    annotatorVariance = sampleVariance(means) - residual * (inverse / byAnnotator.groups);
  }
  return sufficient({
    teacherMean: teacherSum / byItem.groups,
    itemSd: Math.sqrt(Math.max(0, itemVariance)),
    residualSd: Math.sqrt(residual),
    annotatorSd: Math.sqrt(Math.max(0, annotatorVariance)),
    annotatorsPerItem: n / byItem.groups,
    items: byItem.groups,
  });
}

/**
 * Rows grouped by key: groups numbered in order of first appearance, group g's rows at
 * rows[start[g] .. start[g + 1]) in row order, and each row's group. Keys that are small
 * non-negative integers (indices, the usual case) are looked up in a typed array, others in a map.
 */
function groupIndices(keys: ArrayLike<number>): {
  groups: number;
  start: Int32Array;
  rows: Int32Array;
  groupOf: Int32Array;
} {
  const n = keys.length;
  const groupOf = new Int32Array(n);
  let span = 0;
  let isIndex = true;
  for (let r = 0; r < n && isIndex; r++) {
    const k = keys[r];
    if (!(Number.isInteger(k) && k >= 0 && k < 4 * n + 1024)) isIndex = false;
    else if (k >= span) span = k + 1;
  }
  let groups = 0;
  if (isIndex) {
    const table = new Int32Array(span).fill(-1);
    for (let r = 0; r < n; r++) {
      const k = keys[r];
      if (table[k] < 0) table[k] = groups++;
      groupOf[r] = table[k];
    }
  } else {
    const index = new Map<number, number>();
    for (let r = 0; r < n; r++) {
      let g = index.get(keys[r]);
      if (g === undefined) index.set(keys[r], (g = groups++));
      groupOf[r] = g;
    }
  }
  const start = new Int32Array(groups + 1);
  for (let r = 0; r < n; r++) start[groupOf[r] + 1]++;
  for (let g = 0; g < groups; g++) start[g + 1] += start[g];
  const next = start.slice(0, groups);
  const rows = new Int32Array(n);
  for (let r = 0; r < n; r++) rows[next[groupOf[r]]++] = r;
  return { groups, start, rows, groupOf };
}

function sampleVariance(values: Float64Array): number {
  if (values.length < 2) return 0;
  let sum = 0;
  for (const v of values) sum += v;
  const m = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - m) ** 2;
  return squares / (values.length - 1);
}

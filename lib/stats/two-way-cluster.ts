/**
 * Intervals that account for annotators as well as items: the two-way cluster-robust variance
 * of Cameron, Gelbach and Miller (2011, "Robust inference with multiway clustering", JBES
 * 29(2)), items and annotators as the two crossed clusterings. For an estimate that is a smooth
 * function of weighted means, with e_r the influence of rating r (delta method),
 *   V = V_items + V_annotators - V_ratings,
 * where V_items = G_I / (G_I - 1) * sum over items of (sum of e_r in the item)^2, likewise for
 * annotators, and V_ratings = sum of e_r^2 (the intersection clusters: one rating each). The
 * interval is estimate +- t(df) * sqrt(V) with df = min(items, annotators) - 1, as CGM advise
 * for few clusters. When V falls below a one-way variance (possible in small samples), the
 * larger one-way variance is used instead.
 *
 * Why not the two-way "pigeonhole" bootstrap (Owen 2007)? It was tried first: on the seeded
 * coverage simulation (testing/crossed-study.ts: 40 items, 12 annotators, k = 3) its 95%
 * percentile intervals covered the truth 98.3-99.5% of the time, because it counts the
 * residual variance up to three times; item-only intervals covered 81-89% once annotators
 * lean. CGM is the variance that two-way cluster bootstrap aims at, without the double count,
 * and covered 95-97% in the same simulation (two-way-cluster.test.ts checks it, seeded).
 *
 * Estimates are weighted means of item means: item i's mean over its ratings, then the mean
 * over items, the item-mean average the rest of the library reports, so the point estimates
 * do not move. The Python reference (reference/make_reference.py) computes the same with numpy.
 */
import { studentTQuantile } from "./distributions";
import { type Figure, insufficient, sufficient } from "./sufficiency";

/** Ratings of one figure: rating r is by annotator[r] on item[r], with one value per channel. */
export interface ClusteredObservations {
  item: ArrayLike<number>;
  annotator: ArrayLike<number>;
  /** channels[k][r]: value of channel k in rating r (e.g. student, teacher). */
  channels: ArrayLike<number>[];
}

export interface ClusteredInterval {
  estimate: number;
  lower: number;
  upper: number;
  level: number;
  standardError: number;
  /** Degrees of freedom of the t quantile: min(items, annotators) - 1. */
  df: number;
  items: number;
  annotators: number;
}

export interface ClusteredVariance {
  estimate: number;
  variance: number;
  df: number;
  items: number;
  annotators: number;
}

/**
 * What every statistic of one set of observations shares: the item and annotator spans, each
 * rating's weight 1 / (items * ratings of its item), and the cluster counts. Computed once per
 * figure's observations and reused for each of its statistics (difference, relative, ...).
 */
export interface ClusterLayout {
  item: ArrayLike<number>;
  annotator: ArrayLike<number>;
  itemSpan: number;
  annotatorSpan: number;
  weight: Float64Array;
  items: number;
  annotators: number;
}

export function clusterLayout(item: ArrayLike<number>, annotator: ArrayLike<number>): ClusterLayout {
  const n = item.length;
  // Items and annotators are small non-negative integers (indices): typed arrays, not maps.
  let itemSpan = 0;
  let annotatorSpan = 0;
  for (let r = 0; r < n; r++) {
    if (item[r] >= itemSpan) itemSpan = item[r] + 1;
    if (annotator[r] >= annotatorSpan) annotatorSpan = annotator[r] + 1;
  }
  const perItem = new Float64Array(itemSpan);
  for (let r = 0; r < n; r++) perItem[item[r]]++;
  let items = 0;
  for (let i = 0; i < itemSpan; i++) if (perItem[i] > 0) items++;
  const weight = new Float64Array(n);
  for (let r = 0; r < n; r++) weight[r] = 1 / (items * perItem[item[r]]);
  const seen = new Uint8Array(annotatorSpan);
  let annotators = 0;
  for (let r = 0; r < n; r++) {
    if (seen[annotator[r]]) continue;
    seen[annotator[r]] = 1;
    annotators++;
  }
  return { item, annotator, itemSpan, annotatorSpan, weight, items, annotators };
}

/**
 * The estimate g(M) of the channel means M (means of item means) and its two-way variance.
 * `gradient` gives dg/dM_k at M. Null df when there is only one item or one annotator.
 */
export function twoWayVariance(
  observations: ClusteredObservations,
  statistic: (means: Float64Array) => number,
  gradient: (means: Float64Array) => number[],
): ClusteredVariance {
  return twoWayVarianceOf(
    clusterLayout(observations.item, observations.annotator),
    observations.channels,
    statistic,
    gradient,
  );
}

/** The same on a layout computed beforehand (clusterLayout), for several statistics of one figure. */
export function twoWayVarianceOf(
  layout: ClusterLayout,
  channels: ArrayLike<number>[],
  statistic: (means: Float64Array) => number,
  gradient: (means: Float64Array) => number[],
): ClusteredVariance {
  const { item, annotator, weight, items, annotators } = layout;
  const n = weight.length;
  const K = channels.length;
  const means = new Float64Array(K);
  for (let k = 0; k < K; k++) means[k] = weightedSum(weight, channels[k], n);
  const grad = gradient(means);
  const influence = new Float64Array(n);
  for (let k = 0; k < K; k++) addInfluence(influence, grad[k], channels[k], means[k], n);
  for (let r = 0; r < n; r++) influence[r] *= weight[r];
  const byItem = clusterSquares(influence, item, layout.itemSpan);
  const byAnnotator = clusterSquares(influence, annotator, layout.annotatorSpan);
  let single = 0;
  for (let r = 0; r < n; r++) single += influence[r] * influence[r];
  const estimate = statistic(means);
  if (annotators < 2) {
    // One annotator: only the items vary; the interval speaks for this annotator alone.
    return { estimate, variance: byItem, df: items - 1, items, annotators };
  }
  const twoWay = byItem + byAnnotator - single;
  return {
    estimate,
    variance: Math.max(twoWay, byItem, byAnnotator),
    df: Math.min(items, annotators) - 1,
    items,
    annotators,
  };
}

// Hot loops as top-level functions (see sumRows in bootstrap.ts).
function weightedSum(weight: Float64Array, x: ArrayLike<number>, n: number): number {
  let m = 0;
  for (let r = 0; r < n; r++) m += weight[r] * x[r];
  return m;
}

function addInfluence(influence: Float64Array, g: number, x: ArrayLike<number>, m: number, n: number) {
  for (let r = 0; r < n; r++) influence[r] += g * (x[r] - m);
}

/** G / (G - 1) * sum over the G clusters of (sum of influence in the cluster)^2; NaN for one cluster. */
function clusterSquares(influence: Float64Array, keys: ArrayLike<number>, span: number): number {
  const n = influence.length;
  const sums = new Float64Array(span);
  const seen = new Uint8Array(span);
  for (let r = 0; r < n; r++) {
    sums[keys[r]] += influence[r];
    seen[keys[r]] = 1;
  }
  let total = 0;
  let clusters = 0;
  for (let g = 0; g < span; g++) {
    if (!seen[g]) continue;
    clusters++;
    total += sums[g] * sums[g];
  }
  return clusters > 1 ? (total * clusters) / (clusters - 1) : NaN;
}

/** Two-sided interval at `level` from twoWayVariance. */
export function twoWayInterval(
  observations: ClusteredObservations,
  statistic: (means: Float64Array) => number,
  gradient: (means: Float64Array) => number[],
  level: number,
): Figure<ClusteredInterval> {
  return intervalOfVariance(twoWayVariance(observations, statistic, gradient), level);
}

/** The interval at `level` of a variance already computed. */
export function intervalOfVariance(v: ClusteredVariance, level: number): Figure<ClusteredInterval> {
  if (v.items < 2) return insufficient(`too few rated items for an interval: ${v.items}`);
  if (!Number.isFinite(v.estimate) || !Number.isFinite(v.variance)) {
    return insufficient("the statistic is undefined for these data");
  }
  const se = Math.sqrt(v.variance);
  const t = studentTQuantile(1 - (1 - level) / 2, v.df);
  return sufficient({
    estimate: v.estimate,
    lower: v.estimate - t * se,
    upper: v.estimate + t * se,
    level,
    standardError: se,
    df: v.df,
    items: v.items,
    annotators: v.annotators,
  });
}

/** Statistics of (student, teacher) channel means, with their gradients. */
export const PAIRED_STATISTICS = {
  difference: {
    statistic: (m: Float64Array) => m[0] - m[1],
    gradient: () => [1, -1],
  },
  /** 100 * student / teacher. */
  relative: {
    statistic: (m: Float64Array) => (m[1] > 0 ? (100 * m[0]) / m[1] : NaN),
    gradient: (m: Float64Array) => [100 / m[1], (-100 * m[0]) / (m[1] * m[1])],
  },
  mean: {
    statistic: (m: Float64Array) => m[0],
    gradient: () => [1],
  },
} as const;

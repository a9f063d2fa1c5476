/**
 * Krippendorff's alpha for nominal, ordinal, interval and ratio data with missing values,
 * through the coincidence matrix of Krippendorff (2011), "Computing Krippendorff's
 * Alpha-Reliability":
 *   o_ck = sum over units u of (number of c-k pairs of values from different coders in u) / (m_u - 1)
 *   n_c = sum_k o_ck,  n = sum_c n_c (pairable values; units with fewer than 2 values drop out)
 *   alpha = 1 - (n - 1) * sum o_ck d2_ck / sum n_c n_k d2_ck
 * with d2 nominal: [c != k]; interval: (c - k)^2; ratio: ((c - k) / (c + k))^2; ordinal:
 * (sum of n_g for g from c to k - (n_c + n_k) / 2)^2 over the ordered observed values.
 *
 * The bootstrap resamples pairable units with replacement and recomputes alpha in full (the
 * ordinal metric depends on the resampled marginals). A unit's contribution to o depends only
 * on the multiset of its values, and rating scales are short, so units are grouped by that
 * pattern: a replicate counts patterns, then adds each pattern's cells once.
 */
import {
  addDrawWeights,
  type BootstrapInterval,
  type BootstrapOptions,
  forEachResampleBatch,
  percentileInterval,
  replicateCount,
  type SharedResamples,
  widestIntegerLanes,
} from "./bootstrap";
import { type Figure, insufficient, MIN_PAIRABLE_UNITS, sufficient } from "./sufficiency";

export type MeasurementLevel = "nominal" | "ordinal" | "interval" | "ratio";

/**
 * One row per unit, one entry per coder; null, undefined or NaN is a missing value. Rows may
 * have different lengths: a row can list just the values present (coder identity does not
 * enter the coefficient, but each coder must contribute at most one value per unit).
 */
export type ReliabilityMatrix = readonly (readonly (number | null | undefined)[])[];

export interface AlphaResult {
  alpha: number;
  level: MeasurementLevel;
  /** Units with at least two values. */
  pairableUnits: number;
  /** n: values in pairable units. */
  pairableValues: number;
  /** Percentile bootstrap CI over units (null when not requested or undefined). */
  ci: { lower: number; upper: number; level: number; samples: number } | null;
}

interface Prepared {
  values: Float64Array;
  /** Pattern of each pairable unit. */
  unitPattern: Int32Array;
  /** Input row of each pairable unit. */
  unitRow: Int32Array;
  patternStart: Int32Array;
  cells: Int32Array;
  weights: Float64Array;
  pairableValues: number;
}

function isPresent(value: number | null | undefined): value is number {
  return value !== null && value !== undefined && !Number.isNaN(value);
}

/** Units in compressed rows: unit u holds values[offsets[u] .. offsets[u + 1]), all present. */
export interface UnitValues {
  offsets: Int32Array;
  values: Float64Array;
}

function toUnitValues(units: ReliabilityMatrix): UnitValues {
  const offsets = new Int32Array(units.length + 1);
  const values: number[] = [];
  units.forEach((row, r) => {
    for (const value of row) if (isPresent(value)) values.push(value);
    offsets[r + 1] = values.length;
  });
  return { offsets, values: Float64Array.from(values) };
}

/** Position of value in values, or -1 (NaN is never found this way). */
function positionIn(values: Float64Array, value: number): number {
  for (let c = 0; c < values.length; c++) if (values[c] === value) return c;
  return -1;
}

/** The distinct values, ascending: a scan of the few seen so far (rating scales are short), else a set. */
function distinctValues(all: Float64Array): Float64Array {
  const seen: number[] = [];
  for (let j = 0; j < all.length; j++) {
    const value = all[j];
    let k = 0;
    while (k < seen.length && seen[k] !== value) k++;
    if (k < seen.length) continue;
    if (seen.length === 32) return Float64Array.from(new Set<number>(all)).sort();
    seen.push(value);
  }
  return Float64Array.from(seen).sort();
}

function prepare(units: UnitValues): Prepared {
  const values = distinctValues(units.values);
  const index = new Map<number, number>();
  values.forEach((value, i) => index.set(value, i));
  const V = values.length;
  // A scan of a short scale finds a value faster than a Map lookup (same index: values are distinct).
  const isShortScale = V <= 12;

  const patterns = new Map<string | number, number>();
  const unitCount = units.offsets.length - 1;
  const unitPattern = new Int32Array(unitCount);
  const unitRow = new Int32Array(unitCount);
  let pairable = 0;
  const patternStart: number[] = [0];
  const cells: number[] = [];
  const weights: number[] = [];
  let pairableValues = 0;
  let present = new Int32Array(16);
  const counts = new Int32Array(V);
  for (let r = 0; r < unitCount; r++) {
    const from = units.offsets[r];
    const m = units.offsets[r + 1] - from;
    if (m < 2) continue;
    pairableValues += m;
    if (m > present.length) present = new Int32Array(2 * m);
    // Insertion sort: units hold a handful of values.
    for (let j = 0; j < m; j++) {
      const scanned = isShortScale ? positionIn(values, units.values[from + j]) : -1;
      const c = scanned >= 0 ? scanned : index.get(units.values[from + j])!;
      let k = j;
      while (k > 0 && present[k - 1] > c) {
        present[k] = present[k - 1];
        k--;
      }
      present[k] = c;
    }
    // The sorted values as digits in base V + 1 when that fits a double exactly (short units
    // on short scales, the usual case), else as a string; numbers avoid a string per unit.
    let signature: string | number = 0;
    if (m * Math.log2(V + 1) < 52) for (let j = 0; j < m; j++) signature = signature * (V + 1) + present[j] + 1;
    else signature = Array.from(present.subarray(0, m)).join(",");
    let pattern = patterns.get(signature);
    if (pattern === undefined) {
      pattern = patterns.size;
      patterns.set(signature, pattern);
      for (let j = 0; j < m; j++) counts[present[j]]++;
      // Pairs of values from different coders: n_c * n_k ordered pairs, minus self-pairs on c = k.
      // Distinct values in ascending order, each once.
      for (let j = 0; j < m; j++) {
        const c = present[j];
        if (j > 0 && present[j - 1] === c) continue;
        for (let l = 0; l < m; l++) {
          const k = present[l];
          if (l > 0 && present[l - 1] === k) continue;
          const pairs = c === k ? counts[c] * (counts[c] - 1) : counts[c] * counts[k];
          if (pairs > 0) {
            cells.push(c * V + k);
            weights.push(pairs / (m - 1));
          }
        }
      }
      for (let j = 0; j < m; j++) counts[present[j]] = 0;
      patternStart.push(cells.length);
    }
    unitPattern[pairable] = pattern;
    unitRow[pairable++] = r;
  }
  return {
    values,
    unitPattern: unitPattern.slice(0, pairable),
    unitRow: unitRow.slice(0, pairable),
    patternStart: Int32Array.from(patternStart),
    cells: Int32Array.from(cells),
    weights: Float64Array.from(weights),
    pairableValues,
  };
}

/**
 * Squared distances d2 between the ordered values for the levels whose metric is fixed; null for
 * ordinal, whose metric depends on the marginals and is built per coincidence matrix. Choosing
 * here, once, keeps the level out of the per-replicate code: V8 kept deoptimising that code
 * when criteria of different levels ran through one inlined function.
 */
function fixedDistances(values: Float64Array, level: MeasurementLevel): Float64Array | null {
  if (level === "ordinal") return null;
  const V = values.length;
  const d2 = new Float64Array(V * V);
  for (let c = 0; c < V; c++) {
    for (let k = 0; k < V; k++) {
      if (c === k) continue;
      if (level === "nominal") d2[c * V + k] = 1;
      else if (level === "interval") d2[c * V + k] = (values[c] - values[k]) ** 2;
      else d2[c * V + k] = ((values[c] - values[k]) / (values[c] + values[k])) ** 2;
    }
  }
  return d2;
}

/** Alpha from a dense V x V coincidence matrix; NaN when expected disagreement is zero. */
export function alphaFromCoincidences(o: Float64Array, values: Float64Array, level: MeasurementLevel): number {
  return finishAlpha(o, values.length, fixedDistances(values, level));
}

// Hot loops as top-level functions: see sumRows in bootstrap.ts for why not inside closures.
function countPatterns(
  indices: Uint32Array,
  clusterStart: Int32Array,
  clusterPatterns: Int32Array,
  patternCount: Int32Array,
) {
  patternCount.fill(0);
  for (let i = 0; i < indices.length; i++) {
    const c = indices[i];
    for (let j = clusterStart[c]; j < clusterStart[c + 1]; j++) patternCount[clusterPatterns[j]]++;
  }
}

/**
 * The same with every cluster padded to `stride` slots (padding counts into the spare last
 * slot of patternCount, which is never read): a constant-length inner loop, about a quarter
 * faster when clusters are items holding a handful of units.
 */
function countPatternsPadded(indices: Uint32Array, padded: Int32Array, stride: number, patternCount: Int32Array) {
  patternCount.fill(0);
  for (let i = 0; i < indices.length; i++) {
    const base = indices[i] * stride;
    for (let j = 0; j < stride; j++) patternCount[padded[base + j]]++;
  }
}

/** Padded layout, or null when one large cluster would make it wasteful. */
function padClusters(clusterStart: Int32Array, clusterPatterns: Int32Array, spare: number) {
  const clusters = clusterStart.length - 1;
  let stride = 0;
  for (let c = 0; c < clusters; c++) stride = Math.max(stride, clusterStart[c + 1] - clusterStart[c]);
  if (stride === 0 || stride > 16 || stride * clusters > 2 * clusterPatterns.length + clusters) return null;
  const padded = new Int32Array(clusters * stride).fill(spare);
  for (let c = 0; c < clusters; c++) {
    for (let j = clusterStart[c]; j < clusterStart[c + 1]; j++)
      padded[c * stride + j - clusterStart[c]] = clusterPatterns[j];
  }
  return { padded, stride };
}

function fillCoincidences(
  patternCount: Int32Array,
  patternStart: Int32Array,
  cells: Int32Array,
  weights: Float64Array,
  o: Float64Array,
) {
  o.fill(0);
  for (let p = 0; p + 1 < patternStart.length; p++) {
    const count = patternCount[p];
    if (count === 0) continue;
    for (let j = patternStart[p]; j < patternStart[p + 1]; j++) o[cells[j]] += count * weights[j];
  }
}

function finishAlpha(o: Float64Array, V: number, fixed: Float64Array | null): number {
  return fixed === null ? alphaOrdinal(o, V) : alphaFixed(o, V, fixed);
}

function marginalsOf(o: Float64Array, V: number): Float64Array {
  const marginals = new Float64Array(V);
  for (let c = 0; c < V; c++) for (let k = 0; k < V; k++) marginals[c] += o[c * V + k];
  return marginals;
}

function alphaFixed(o: Float64Array, V: number, d2: Float64Array): number {
  const marginals = marginalsOf(o, V);
  let n = 0;
  for (let c = 0; c < V; c++) n += marginals[c];
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < V; c++) {
    for (let k = 0; k < V; k++) {
      observed += o[c * V + k] * d2[c * V + k];
      expected += marginals[c] * marginals[k] * d2[c * V + k];
    }
  }
  return expected > 0 ? 1 - ((n - 1) * observed) / expected : NaN;
}

function alphaOrdinal(o: Float64Array, V: number): number {
  const marginals = marginalsOf(o, V);
  // Cumulative marginals make each ordinal distance O(1).
  const cumulative = new Float64Array(V + 1);
  for (let c = 0; c < V; c++) cumulative[c + 1] = cumulative[c] + marginals[c];
  const n = cumulative[V];
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < V; c++) {
    for (let k = c + 1; k < V; k++) {
      const d2 = (cumulative[k + 1] - cumulative[c] - (marginals[c] + marginals[k]) / 2) ** 2;
      // Both (c, k) and (k, c) cells; the metric is symmetric and zero on the diagonal.
      observed += (o[c * V + k] + o[k * V + c]) * d2;
      expected += 2 * marginals[c] * marginals[k] * d2;
    }
  }
  return expected > 0 ? 1 - ((n - 1) * observed) / expected : NaN;
}

/** Krippendorff's alpha with an optional percentile bootstrap CI (pass bootstrap options to get one). */
export function krippendorffAlpha(args: {
  units: ReliabilityMatrix;
  level: MeasurementLevel;
  bootstrap?: BootstrapOptions;
  clusters?: { clusterOf: ArrayLike<number>; count: number };
}): Figure<AlphaResult> {
  return krippendorffAlphaOfUnits({ ...args, units: toUnitValues(args.units) });
}

/** The same from units in compressed rows (missing values already left out). */
export function krippendorffAlphaOfUnits(args: {
  units: UnitValues;
  level: MeasurementLevel;
  bootstrap?: BootstrapOptions;
  /**
   * Resample clusters of units instead of single units: clusterOf[row] is the cluster of each
   * input row (e.g. its source item, so the outputs of one item move together), in 0..count-1.
   */
  clusters?: { clusterOf: ArrayLike<number>; count: number };
}): Figure<AlphaResult> {
  const prepared = prepare(args.units);
  const pairableUnits = prepared.unitPattern.length;
  if (pairableUnits < MIN_PAIRABLE_UNITS) {
    return insufficient(
      `too few units rated by two or more coders: ${pairableUnits} (need at least ${MIN_PAIRABLE_UNITS})`,
    );
  }
  const { values, patternStart, cells, weights } = prepared;
  const fixed = fixedDistances(values, args.level);

  const V = values.length;
  const o = new Float64Array(V * V);
  const patterns = patternStart.length - 1;
  const patternCount = new Int32Array(patterns + 1);
  // With clusters, a drawn index is a cluster and brings the patterns of all its units.
  const { clusterStart, clusterPatterns } = groupByCluster(prepared, args.clusters);
  const layout = padClusters(clusterStart, clusterPatterns, patterns);
  const statistic = (indices: Uint32Array, out: Float64Array) => {
    if (layout) countPatternsPadded(indices, layout.padded, layout.stride, patternCount);
    else countPatterns(indices, clusterStart, clusterPatterns, patternCount);
    fillCoincidences(patternCount, patternStart, cells, weights, o);
    out[0] = finishAlpha(o, V, fixed);
  };
  const drawCount = clusterStart.length - 1;
  const estimate = new Float64Array(1);
  statistic(
    Uint32Array.from({ length: drawCount }, (_, i) => i),
    estimate,
  );
  if (!Number.isFinite(estimate[0])) {
    return insufficient("the ratings show no variation, so alpha is undefined");
  }

  let ci: AlphaResult["ci"] = null;
  if (args.bootstrap) {
    const replicates = laneReplicates({
      bootstrap: args.bootstrap,
      clusterStart,
      clusterPatterns,
      patterns,
      finish: (counts) => {
        fillCoincidences(counts, patternStart, cells, weights, o);
        return finishAlpha(o, V, fixed);
      },
    });
    const interval: Figure<BootstrapInterval> = percentileInterval(estimate[0], replicates, args.bootstrap);
    if (interval.ok)
      ci = { lower: interval.lower, upper: interval.upper, level: interval.level, samples: interval.samples };
  }
  return sufficient({
    alpha: estimate[0],
    level: args.level,
    pairableUnits,
    pairableValues: prepared.pairableValues,
    ci,
  });
}

/** Pattern lists per resampled unit: one pattern per pairable unit, or all of a cluster's. */
function groupByCluster(
  prepared: Prepared,
  clusters: { clusterOf: ArrayLike<number>; count: number } | undefined,
): { clusterStart: Int32Array; clusterPatterns: Int32Array } {
  const { unitPattern, unitRow } = prepared;
  if (!clusters) {
    return {
      clusterStart: Int32Array.from({ length: unitPattern.length + 1 }, (_, i) => i),
      clusterPatterns: unitPattern,
    };
  }
  const clusterStart = new Int32Array(clusters.count + 1);
  for (const row of unitRow) clusterStart[clusters.clusterOf[row] + 1]++;
  for (let c = 0; c < clusters.count; c++) clusterStart[c + 1] += clusterStart[c];
  const fill = clusterStart.slice(0, clusters.count);
  const clusterPatterns = new Int32Array(unitPattern.length);
  unitRow.forEach((row, u) => {
    clusterPatterns[fill[clusters.clusterOf[row]]++] = unitPattern[u];
  });
  return { clusterStart, clusterPatterns };
}

/**
 * Alpha in every bootstrap replicate. Pattern counts are integers, so several replicates are
 * counted in one pass (integerLanes): each cluster's draw counts in L replicates share one
 * double, and one walk over the clusters' units adds all L replicates' counts at once. The
 * counts, and so every replicate's alpha, are exactly those of counting replicate by replicate.
 */
function laneReplicates(args: {
  bootstrap: BootstrapOptions;
  clusterStart: Int32Array;
  clusterPatterns: Int32Array;
  patterns: number;
  finish: (patternCount: Int32Array) => number;
}): Float64Array {
  const { clusterStart, clusterPatterns } = args;
  const clusters = clusterStart.length - 1;
  let largest = 1;
  for (let c = 0; c < clusters; c++) largest = Math.max(largest, clusterStart[c + 1] - clusterStart[c]);
  // A pattern's count in one replicate is at most (largest cluster) x (draws).
  const lanes = widestIntegerLanes(largest * clusters)!;
  const L = lanes.scale.length;
  const scratch = new Float64Array(clusters);
  // Spare last slot: the padding of padded clusters adds there, and it is never unpacked.
  const packed = new Float64Array(args.patterns + 1);
  const layout = padClusters(clusterStart, clusterPatterns, args.patterns);
  // One count array per lane, reused by every batch (the spare last slot stays 0).
  const unpacked = Array.from({ length: L }, () => new Int32Array(args.patterns + 1));
  const replicates = new Float64Array(replicateCount(args.bootstrap));
  // Every alpha figure of a study draws from the same shared resamples: the packed draw counts
  // per cluster are computed by the first figure with these lanes and read by the others.
  const shared = args.bootstrap.resamples;
  const key = `${lanes.bits}:${L}`;
  let byLanes = shared ? sharedWeights.get(shared) : undefined;
  if (shared && !byLanes) sharedWeights.set(shared, (byLanes = new Map()));
  const known = byLanes?.get(key);
  const batches = Math.ceil(replicates.length / L);
  const store = known ? null : byLanes ? new Float64Array(batches * clusters) : null;
  if (store) byLanes!.set(key, store);
  forEachResampleBatch({ ...args.bootstrap, unitCount: clusters, batch: L }, (draws, first, count) => {
    const batch = first / L;
    let weight: Float64Array;
    if (known) weight = known.subarray(batch * clusters, (batch + 1) * clusters);
    else {
      weight = store ? store.subarray(batch * clusters, (batch + 1) * clusters) : scratch;
      weight.fill(0);
      for (let l = 0; l < count; l++) addDrawWeights(draws, l * clusters, clusters, lanes.scale[l], weight);
    }
    packed.fill(0);
    if (layout) addPatternsPadded(weight, layout.padded, layout.stride, packed);
    else addPatterns(weight, clusterStart, clusterPatterns, packed);
    unpackPatterns(packed, args.patterns, lanes.scale, unpacked);
    for (let l = 0; l < count; l++) replicates[first + l] = args.finish(unpacked[l]);
  });
  return replicates;
}

/** Packed per-cluster draw counts of each batch, per shared resamples and lane layout. */
const sharedWeights = new WeakMap<SharedResamples, Map<string, Float64Array>>();

function unpackPatterns(packed: Float64Array, patterns: number, scale: readonly number[], unpacked: Int32Array[]) {
  const L = scale.length;
  for (let p = 0; p < patterns; p++) {
    let rest = packed[p];
    for (let l = L - 1; l >= 0; l--) {
      const value = Math.floor(rest / scale[l]);
      rest -= value * scale[l];
      unpacked[l][p] = value;
    }
  }
}

/** The same over clusters padded to a constant length (see countPatternsPadded). */
function addPatternsPadded(weight: Float64Array, padded: Int32Array, stride: number, packed: Float64Array) {
  for (let c = 0; c < weight.length; c++) {
    const w = weight[c];
    if (w === 0) continue;
    const base = c * stride;
    for (let j = 0; j < stride; j++) packed[padded[base + j]] += w;
  }
}

function addPatterns(
  weight: Float64Array,
  clusterStart: Int32Array,
  clusterPatterns: Int32Array,
  packed: Float64Array,
) {
  for (let c = 0; c + 1 < clusterStart.length; c++) {
    const w = weight[c];
    if (w === 0) continue;
    for (let j = clusterStart[c]; j < clusterStart[c + 1]; j++) packed[clusterPatterns[j]] += w;
  }
}

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
 * ordinal metric depends on the resampled marginals), from per-unit coincidence contributions
 * kept in flat typed arrays.
 */
import { bootstrapReplicates, type BootstrapInterval, type BootstrapOptions, percentileInterval } from "./bootstrap";
import { type Figure, insufficient, MIN_PAIRABLE_UNITS, sufficient } from "./sufficiency";

export type MeasurementLevel = "nominal" | "ordinal" | "interval" | "ratio";

/** One row per unit, one column per coder; null, undefined or NaN is a missing value. */
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
  unitStart: Int32Array;
  cells: Int32Array;
  weights: Float64Array;
  pairableValues: number;
}

function isPresent(value: number | null | undefined): value is number {
  return value !== null && value !== undefined && !Number.isNaN(value);
}

function prepare(units: ReliabilityMatrix): Prepared {
  const distinct = new Set<number>();
  for (const row of units) for (const value of row) if (isPresent(value)) distinct.add(value);
  const values = Float64Array.from(distinct).sort();
  const index = new Map<number, number>();
  values.forEach((value, i) => index.set(value, i));
  const V = values.length;

  const unitStart: number[] = [0];
  const cells: number[] = [];
  const weights: number[] = [];
  let pairableValues = 0;
  const counts = new Map<number, number>();
  for (const row of units) {
    counts.clear();
    let m = 0;
    for (const value of row) {
      if (!isPresent(value)) continue;
      const c = index.get(value)!;
      counts.set(c, (counts.get(c) ?? 0) + 1);
      m++;
    }
    if (m < 2) continue;
    pairableValues += m;
    // Pairs of values from different coders: n_c * n_k ordered pairs, minus self-pairs on c = k.
    for (const [c, nc] of counts) {
      for (const [k, nk] of counts) {
        const pairs = c === k ? nc * (nc - 1) : nc * nk;
        if (pairs > 0) {
          cells.push(c * V + k);
          weights.push(pairs / (m - 1));
        }
      }
    }
    unitStart.push(cells.length);
  }
  return {
    values,
    unitStart: Int32Array.from(unitStart),
    cells: Int32Array.from(cells),
    weights: Float64Array.from(weights),
    pairableValues,
  };
}

/** Alpha from a dense V x V coincidence matrix; NaN when expected disagreement is zero. */
export function alphaFromCoincidences(o: Float64Array, values: Float64Array, level: MeasurementLevel): number {
  const V = values.length;
  const marginals = new Float64Array(V);
  let n = 0;
  for (let c = 0; c < V; c++) {
    for (let k = 0; k < V; k++) marginals[c] += o[c * V + k];
    n += marginals[c];
  }
  // Cumulative marginals make each ordinal distance O(1).
  const cumulative = new Float64Array(V + 1);
  for (let c = 0; c < V; c++) cumulative[c + 1] = cumulative[c] + marginals[c];
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < V; c++) {
    for (let k = c + 1; k < V; k++) {
      let d2: number;
      if (level === "nominal") d2 = 1;
      else if (level === "interval") d2 = (values[c] - values[k]) ** 2;
      else if (level === "ratio") d2 = ((values[c] - values[k]) / (values[c] + values[k])) ** 2;
      else d2 = (cumulative[k + 1] - cumulative[c] - (marginals[c] + marginals[k]) / 2) ** 2;
      // Both (c, k) and (k, c) cells; the metric is symmetric and zero on the diagonal.
      observed += (o[c * V + k] + o[k * V + c]) * d2;
      expected += 2 * marginals[c] * marginals[k] * d2;
    }
  }
  if (!(expected > 0)) return NaN;
  return 1 - ((n - 1) * observed) / expected;
}

/** Krippendorff's alpha with an optional percentile bootstrap CI (pass bootstrap options to get one). */
export function krippendorffAlpha(args: {
  units: ReliabilityMatrix;
  level: MeasurementLevel;
  bootstrap?: BootstrapOptions;
}): Figure<AlphaResult> {
  const prepared = prepare(args.units);
  const pairableUnits = prepared.unitStart.length - 1;
  if (pairableUnits < MIN_PAIRABLE_UNITS) {
    return insufficient(
      `too few units rated by two or more coders: ${pairableUnits} (need at least ${MIN_PAIRABLE_UNITS})`,
    );
  }
  const { values, unitStart, cells, weights } = prepared;
  const V = values.length;
  const o = new Float64Array(V * V);
  const statistic = (indices: Uint32Array, out: Float64Array) => {
    o.fill(0);
    for (let i = 0; i < indices.length; i++) {
      const u = indices[i];
      for (let j = unitStart[u]; j < unitStart[u + 1]; j++) o[cells[j]] += weights[j];
    }
    out[0] = alphaFromCoincidences(o, values, args.level);
  };
  const estimate = new Float64Array(1);
  statistic(Uint32Array.from({ length: pairableUnits }, (_, i) => i), estimate);
  if (!Number.isFinite(estimate[0])) {
    return insufficient("the ratings show no variation, so alpha is undefined");
  }

  let ci: AlphaResult["ci"] = null;
  if (args.bootstrap) {
    const set = bootstrapReplicates({ ...args.bootstrap, unitCount: pairableUnits, statisticCount: 1, statistic });
    const interval: Figure<BootstrapInterval> = percentileInterval(estimate[0], set.replicates[0], args.bootstrap);
    if (interval.ok) ci = { lower: interval.lower, upper: interval.upper, level: interval.level, samples: interval.samples };
  }
  return sufficient({
    alpha: estimate[0],
    level: args.level,
    pairableUnits,
    pairableValues: prepared.pairableValues,
    ci,
  });
}

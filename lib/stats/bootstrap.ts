/**
 * Percentile bootstrap over units (items, annotated outputs): each replicate draws unitCount
 * unit indices with replacement from a seeded stream, and statistics are computed from those
 * indices. Statistics therefore read precomputed per-unit arrays instead of copying rows,
 * which keeps B = 2000 replicates cheap. The interval is the type 7 quantile of the finite
 * replicates at (1 - level) / 2 and (1 + level) / 2; replicates where the statistic is
 * undefined (NaN, e.g. a ratio whose denominator resampled to 0) are counted as failures.
 */
import { quantileSorted } from "./descriptive";
import { createRng, intsFromRaw } from "./random";
import { type Figure, insufficient, MAX_BOOTSTRAP_FAILURE_SHARE, sufficient } from "./sufficiency";

export const DEFAULT_BOOTSTRAP_SAMPLES = 2000;
export const DEFAULT_LEVEL = 0.95;
export const DEFAULT_SEED = 20240418;

export interface BootstrapOptions {
  /** Number of replicates B (default 2000). */
  samples?: number;
  /** Confidence level (default 0.95). */
  level?: number;
  /** Seed; the same seed gives identical intervals. */
  seed?: number;
  /**
   * Draws to reuse instead of drawing (samples and seed are then ignored). Sharing one set of
   * item draws across all figures of a study makes the figures' replicates joint (one
   * resampled study per replicate) and saves drawing them again for every figure.
   */
  resamples?: SharedResamples;
}

/** B resamples of unitCount unit indices, stored replicate after replicate. */
export interface SharedResamples {
  unitCount: number;
  samples: number;
  /** Memory: 4 * samples * unitCount bytes (8 MB for 2,000 items and B = 1,000). */
  draws: Uint32Array;
}

/**
 * The generator's raw outputs for B resamples of up to maxUnits units, drawn before the number of
 * units is known (e.g. while the data load): drawResamples maps the first B * unitCount of them.
 */
export interface RawDraws {
  seed: number;
  samples: number;
  maxUnits: number;
  raw: Uint32Array;
  /** The resamples the raw draws were mapped to (in place), once a computation used them. */
  mapped?: SharedResamples;
}

export function drawRaw(args: { maxUnits: number } & BootstrapOptions): RawDraws {
  const { samples, seed } = resolve(args);
  const raw = new Uint32Array(samples * args.maxUnits);
  createRng(seed).fillRaw(raw);
  return { seed, samples, maxUnits: args.maxUnits, raw };
}

/**
 * Draws B resamples of unit indices once, for figures that all resample the same units. Raw
 * draws of the same seed and B covering unitCount give the same numbers, sooner: they are
 * mapped in place (no second buffer of this size), so afterwards they serve only that unit
 * count again (a second computation on the same items reuses the resamples; maxUnits drops to 0).
 */
export function drawResamples(args: { unitCount: number; raw?: RawDraws } & BootstrapOptions): SharedResamples {
  const { samples, seed } = resolve(args);
  const raw = args.raw;
  const size = samples * args.unitCount;
  if (raw && raw.seed === seed && raw.samples === samples) {
    if (raw.mapped?.unitCount === args.unitCount) return raw.mapped;
    if (raw.maxUnits >= args.unitCount) {
      const draws = raw.raw.subarray(0, size);
      intsFromRaw(draws, args.unitCount, draws);
      raw.maxUnits = 0;
      raw.mapped = { unitCount: args.unitCount, samples, draws };
      return raw.mapped;
    }
  }
  const draws = new Uint32Array(size);
  createRng(seed).fillInts(draws, args.unitCount);
  return { unitCount: args.unitCount, samples, draws };
}

export interface BootstrapInterval {
  estimate: number;
  lower: number;
  upper: number;
  level: number;
  samples: number;
  /** Replicates where the statistic was undefined and which were left out. */
  failures: number;
  /**
   * Set on the rating intervals, which are not bootstrapped: "two-way-cluster" (items x
   * annotators, two-way-cluster.ts), with samples and failures 0.
   */
  method?: "two-way-cluster";
  standardError?: number;
  df?: number;
  annotators?: number;
}

/** Fills `out` with the statistics for the resampled unit indices. */
export type MultiStatistic = (indices: Uint32Array, out: Float64Array) => void;

export interface ReplicateSet {
  estimates: Float64Array;
  /** replicates[s][b]: statistic s in replicate b. */
  replicates: Float64Array[];
}

/** B for these options: the shared draws' count, else samples, else the default (validated). */
export function replicateCount(options: BootstrapOptions): number {
  return resolve(options).samples;
}

function resolve(options: BootstrapOptions) {
  const samples = options.resamples?.samples ?? options.samples ?? DEFAULT_BOOTSTRAP_SAMPLES;
  const level = options.level ?? DEFAULT_LEVEL;
  if (!Number.isInteger(samples) || samples < 1) throw new RangeError("samples must be a positive integer");
  if (!(level > 0 && level < 1)) throw new RangeError("level must be in (0, 1)");
  return { samples, level, seed: options.seed ?? DEFAULT_SEED };
}

/** The stored draws to reuse, if any; they must resample the statistic's units. */
function sharedDraws(options: BootstrapOptions, unitCount: number): SharedResamples | undefined {
  const shared = options.resamples;
  if (shared && shared.unitCount !== unitCount) {
    throw new RangeError(`shared resamples cover ${shared.unitCount} units, the statistic has ${unitCount}`);
  }
  return shared;
}

/**
 * sums[f] = sum over the drawn units u of table[u * width + f]: the inner loop of every linear
 * bootstrap statistic. Hot loops live in top-level functions like this one on purpose: V8 shares
 * optimised loop code between all closures made from one function literal, and a fresh closure
 * per figure then kept deoptimising it (hundreds of times per study) on feedback it lacked.
 */
export function sumRows(indices: Uint32Array, table: Float64Array, width: number, sums: Float64Array): void {
  // Unrolled widths (the ones the study bundle uses) keep the sums in registers: over twice as
  // fast as the generic loop, which writes sums[f] on every draw.
  if (width === 1) {
    sums[0] = sumDrawn(indices, table);
    return;
  }
  if (width === 2) return sumRows2(indices, table, sums);
  if (width === 4) return sumRows4(indices, table, sums);
  if (width === 3) return sumRows3(indices, table, sums);
  if (width === 6) return sumRows6(indices, table, sums);
  if (width === 8) return sumRows8(indices, table, sums);
  sums.fill(0);
  for (let j = 0; j < indices.length; j++) {
    const k = indices[j] * width;
    for (let f = 0; f < width; f++) sums[f] += table[k + f];
  }
}

function sumDrawn(indices: Uint32Array, table: Float64Array): number {
  let a = 0;
  for (let j = 0; j < indices.length; j++) a += table[indices[j]];
  return a;
}

function sumRows4(indices: Uint32Array, table: Float64Array, sums: Float64Array): void {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  for (let j = 0; j < indices.length; j++) {
    const k = indices[j] * 4;
    a += table[k];
    b += table[k + 1];
    c += table[k + 2];
    d += table[k + 3];
  }
  sums[0] = a;
  sums[1] = b;
  sums[2] = c;
  sums[3] = d;
}

/**
 * Packs small non-negative integer features into one double, `bits` bits each, so one sum over
 * the draws gives all of them: sums of integers below 2^53 are exact in any order, so the
 * unpacked sums are exactly the separate ones. Null when the fields would not fit.
 */
export function integerLanes(lanes: number, maxSum: number): { bits: number; scale: number[] } | null {
  const bits = laneBits(maxSum);
  if (bits * lanes > 52) return null;
  return { bits, scale: Array.from({ length: lanes }, (_, l) => 2 ** (bits * l)) };
}

/** integerLanes with as many lanes as fit; null when fewer than `minimum` fit. */
export function widestIntegerLanes(maxSum: number, minimum = 1): { bits: number; scale: number[] } | null {
  const lanes = Math.floor(52 / laneBits(maxSum));
  return lanes >= minimum ? integerLanes(lanes, maxSum) : null;
}

function laneBits(maxSum: number): number {
  return Math.max(1, Math.ceil(Math.log2(maxSum + 1)));
}

/**
 * weight[u] += scale for every unit u drawn in draws[from .. from + n): one replicate's draw
 * counts in the lane `scale` selects, for statistics that sum several replicates per pass.
 */
export function addDrawWeights(draws: Uint32Array, from: number, n: number, scale: number, weight: Float64Array): void {
  for (let j = from; j < from + n; j++) weight[draws[j]] += scale;
}

/** Splits a packed sum back into its lanes (exact: every step is on integers below 2^53). */
export function unpackLanes(
  packed: number,
  lanes: { bits: number; scale: number[] },
  out: Float64Array,
  offset = 0,
): void {
  let rest = packed;
  for (let l = lanes.scale.length - 1; l >= 0; l--) {
    const value = Math.floor(rest / lanes.scale[l]);
    out[offset + l] = value;
    rest -= value * lanes.scale[l];
  }
}

function sumRows2(indices: Uint32Array, table: Float64Array, sums: Float64Array): void {
  let a = 0;
  let b = 0;
  for (let j = 0; j < indices.length; j++) {
    const k = indices[j] * 2;
    a += table[k];
    b += table[k + 1];
  }
  sums[0] = a;
  sums[1] = b;
}

function sumRows3(indices: Uint32Array, table: Float64Array, sums: Float64Array): void {
  let a = 0;
  let b = 0;
  let c = 0;
  for (let j = 0; j < indices.length; j++) {
    const k = indices[j] * 3;
    a += table[k];
    b += table[k + 1];
    c += table[k + 2];
  }
  sums[0] = a;
  sums[1] = b;
  sums[2] = c;
}

function sumRows8(indices: Uint32Array, table: Float64Array, sums: Float64Array): void {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  let e = 0;
  let f = 0;
  let g = 0;
  let h = 0;
  for (let j = 0; j < indices.length; j++) {
    const k = indices[j] * 8;
    a += table[k];
    b += table[k + 1];
    c += table[k + 2];
    d += table[k + 3];
    e += table[k + 4];
    f += table[k + 5];
    g += table[k + 6];
    h += table[k + 7];
  }
  sums[0] = a;
  sums[1] = b;
  sums[2] = c;
  sums[3] = d;
  sums[4] = e;
  sums[5] = f;
  sums[6] = g;
  sums[7] = h;
}

function sumRows6(indices: Uint32Array, table: Float64Array, sums: Float64Array): void {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  let e = 0;
  let f = 0;
  for (let j = 0; j < indices.length; j++) {
    const k = indices[j] * 6;
    a += table[k];
    b += table[k + 1];
    c += table[k + 2];
    d += table[k + 3];
    e += table[k + 4];
    f += table[k + 5];
  }
  sums[0] = a;
  sums[1] = b;
  sums[2] = c;
  sums[3] = d;
  sums[4] = e;
  sums[5] = f;
}

/** Runs several statistics over the same resamples (one index draw serves them all). */
export function bootstrapReplicates(
  args: { unitCount: number; statisticCount: number; statistic: MultiStatistic } & BootstrapOptions,
): ReplicateSet {
  const { samples, seed } = resolve(args);
  const { unitCount, statisticCount, statistic } = args;
  const identity = new Uint32Array(unitCount);
  for (let i = 0; i < unitCount; i++) identity[i] = i;
  const estimates = new Float64Array(statisticCount);
  statistic(identity, estimates);

  const replicates = Array.from({ length: statisticCount }, () => new Float64Array(samples));
  const shared = sharedDraws(args, unitCount);
  let indices: Uint32Array = new Uint32Array(unitCount);
  const out = new Float64Array(statisticCount);
  const rng = createRng(seed);
  for (let b = 0; b < samples; b++) {
    if (shared) indices = shared.draws.subarray(b * unitCount, (b + 1) * unitCount);
    else rng.fillInts(indices, unitCount);
    statistic(indices, out);
    for (let s = 0; s < statisticCount; s++) replicates[s][b] = out[s];
  }
  return { estimates, replicates };
}

/**
 * Visits the B resamples in batches of up to `batch` consecutive replicates, for statistics that
 * handle several replicates at once; the draws are the ones bootstrapReplicates would use
 * (stored ones, or the same seeded stream drawn batch by batch).
 */
export function forEachResampleBatch(
  args: { unitCount: number; batch: number } & BootstrapOptions,
  visit: (draws: Uint32Array, first: number, count: number) => void,
): number {
  const { samples, seed } = resolve(args);
  const { unitCount } = args;
  const shared = sharedDraws(args, unitCount);
  const rng = createRng(seed);
  const buffer = shared ? null : new Uint32Array(args.batch * unitCount);
  for (let b = 0; b < samples; b += args.batch) {
    const count = Math.min(args.batch, samples - b);
    let draws: Uint32Array;
    if (shared) draws = shared.draws.subarray(b * unitCount, (b + count) * unitCount);
    else {
      draws = buffer!.subarray(0, count * unitCount);
      rng.fillInts(draws, unitCount);
    }
    visit(draws, b, count);
  }
  return samples;
}

/** Percentile interval from replicates; insufficient when the estimate or too many replicates are undefined. */
export function percentileInterval(
  estimate: number,
  replicates: Float64Array,
  options: BootstrapOptions = {},
): Figure<BootstrapInterval> {
  const { level } = resolve(options);
  if (!Number.isFinite(estimate)) return insufficient("the statistic is undefined for these data");
  const finite = replicates.filter((value) => Number.isFinite(value)).sort();
  const failures = replicates.length - finite.length;
  if (finite.length === 0 || failures / replicates.length > MAX_BOOTSTRAP_FAILURE_SHARE) {
    return insufficient(`the statistic is undefined in ${failures} of ${replicates.length} bootstrap resamples`);
  }
  const alpha = (1 - level) / 2;
  return sufficient({
    estimate,
    lower: quantileSorted(finite, alpha),
    upper: quantileSorted(finite, 1 - alpha),
    level,
    samples: replicates.length,
    failures,
  });
}

/** Percentile bootstrap CI for any statistic of resampled unit indices. */
export function bootstrapCI(
  args: { unitCount: number; statistic: (indices: Uint32Array) => number } & BootstrapOptions,
): Figure<BootstrapInterval> {
  if (args.unitCount < 1) return insufficient("no units to resample");
  const { estimates, replicates } = bootstrapReplicates({
    ...args,
    statisticCount: 1,
    statistic: (indices, out) => {
      out[0] = args.statistic(indices);
    },
  });
  return percentileInterval(estimates[0], replicates[0], args);
}

/**
 * Bootstrap CI of the mean of per-unit values. NaN marks a unit without a value (e.g. an item a
 * system was not rated on): it is drawn like any unit but left out of the mean, so figures on
 * different subsets of items can share one set of item draws.
 */
export function bootstrapMeanCI(values: ArrayLike<number>, options: BootstrapOptions = {}): Figure<BootstrapInterval> {
  const n = values.length;
  let missing = 0;
  for (let i = 0; i < n; i++) if (Number.isNaN(values[i])) missing++;
  if (missing === 0) {
    // Every drawn unit counts, so the denominator is the number of draws: one sum per replicate.
    const table = Float64Array.from(values);
    return bootstrapCI({
      ...options,
      unitCount: n,
      statistic: (indices) => (indices.length > 0 ? sumDrawn(indices, table) / indices.length : NaN),
    });
  }
  // Interleaved (value or 0, has value) pairs: branch-free sums in the replicate loop.
  const pairs = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const isPresent = !Number.isNaN(values[i]);
    pairs[2 * i] = isPresent ? values[i] : 0;
    pairs[2 * i + 1] = isPresent ? 1 : 0;
  }
  const sums = new Float64Array(2);
  return bootstrapCI({
    ...options,
    unitCount: n,
    statistic: (indices) => {
      sumRows(indices, pairs, 2, sums);
      return sums[1] > 0 ? sums[0] / sums[1] : NaN;
    },
  });
}

/**
 * Paired bootstrap: x[i] and y[i] belong to the same unit and are resampled together, so the
 * interval keeps the within-item correlation (student and teacher on the same source).
 */
export function pairedBootstrapCI(
  args: {
    x: ArrayLike<number>;
    y: ArrayLike<number>;
    statistic: (x: Float64Array, y: Float64Array) => number;
  } & BootstrapOptions,
): Figure<BootstrapInterval> {
  if (args.x.length !== args.y.length) throw new RangeError("paired samples must have the same length");
  const x = Float64Array.from(args.x);
  const y = Float64Array.from(args.y);
  const bufferX = new Float64Array(x.length);
  const bufferY = new Float64Array(y.length);
  return bootstrapCI({
    ...args,
    unitCount: x.length,
    statistic: (indices) => {
      for (let i = 0; i < indices.length; i++) {
        bufferX[i] = x[indices[i]];
        bufferY[i] = y[indices[i]];
      }
      return args.statistic(bufferX, bufferY);
    },
  });
}

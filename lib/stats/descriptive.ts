/**
 * Descriptive statistics over plain arrays. Quantiles use linear interpolation between order
 * statistics (Hyndman-Fan type 7), the default of numpy.quantile and R, so figures can be
 * checked against either.
 */
export type NumericArray = ArrayLike<number>;

export function sum(values: NumericArray): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}

/** Arithmetic mean; NaN for an empty array (callers check sufficiency first). */
export function mean(values: NumericArray): number {
  return values.length === 0 ? NaN : sum(values) / values.length;
}

/** Sample variance with n - 1 in the denominator; NaN below two values. */
export function variance(values: NumericArray): number {
  const n = values.length;
  if (n < 2) return NaN;
  const m = mean(values);
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - m) ** 2;
  return ss / (n - 1);
}

export function standardDeviation(values: NumericArray): number {
  return Math.sqrt(variance(values));
}

/** Returns a sorted copy (numeric order, not the string order of Array.prototype.sort). */
export function sortedCopy(values: NumericArray): Float64Array {
  return Float64Array.from(values).sort();
}

/** Type 7 quantile of values already sorted ascending; p in [0, 1]. */
export function quantileSorted(sorted: NumericArray, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile probability ${p} is outside [0, 1]`);
  const position = (n - 1) * p;
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, n - 1);
  const fraction = position - lower;
  return sorted[lower] + fraction * (sorted[upper] - sorted[lower]);
}

/** Type 7 quantile (numpy.quantile's default 'linear' method). */
export function quantile(values: NumericArray, p: number): number {
  return quantileSorted(sortedCopy(values), p);
}

/** Several quantiles with one sort. */
export function quantiles(values: NumericArray, ps: readonly number[]): number[] {
  const sorted = sortedCopy(values);
  return ps.map((p) => quantileSorted(sorted, p));
}

export function median(values: NumericArray): number {
  return quantile(values, 0.5);
}

export interface Summary {
  n: number;
  mean: number;
  median: number;
  q1: number;
  q3: number;
  min: number;
  max: number;
  sd: number;
}

/** Five-number summary plus mean and sample SD (sd is NaN for n < 2). */
export function summarize(values: NumericArray): Summary {
  const sorted = sortedCopy(values);
  return {
    n: sorted.length,
    mean: mean(sorted),
    median: quantileSorted(sorted, 0.5),
    q1: quantileSorted(sorted, 0.25),
    q3: quantileSorted(sorted, 0.75),
    min: sorted.length ? sorted[0] : NaN,
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
    sd: standardDeviation(sorted),
  };
}

/**
 * Correlation of an automatic metric with human ratings (one pair of values per output or per
 * item). Pearson's r and Spearman's rho (Pearson on average ranks, as scipy.stats.spearmanr),
 * each with the two-sided p-value SciPy reports: t = r sqrt((n - 2) / (1 - r^2)) on n - 2 degrees
 * of freedom (exact for Pearson under normality; the usual approximation for Spearman).
 * Pairs where either value is missing (NaN) are dropped first.
 */
import {
  averageRanks,
  type Figure,
  insufficient,
  MIN_CORRELATION_PAIRS,
  studentTTwoSidedP,
  sufficient,
} from "@/lib/stats";

export type CorrelationMethod = "pearson" | "spearman";

export interface Correlation {
  method: CorrelationMethod;
  r: number;
  p: number;
  n: number;
}

/** Pearson's r of two equal-length arrays; NaN when either has no variance. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (y.length !== n) throw new RangeError("x and y must have the same length");
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] / n;
    my += y[i] / n;
  }
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  if (sxx === 0 || syy === 0) return NaN;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** Spearman's rho: Pearson's r of the average ranks. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return pearson(averageRanks(x), averageRanks(y));
}

/** Correlation with its p-value, or why it cannot be computed. */
export function correlate(args: {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  method: CorrelationMethod;
}): Figure<Correlation> {
  if (args.x.length !== args.y.length) throw new RangeError("x and y must have the same length");
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < args.x.length; i++) {
    if (Number.isNaN(args.x[i]) || Number.isNaN(args.y[i])) continue;
    x.push(args.x[i]);
    y.push(args.y[i]);
  }
  const n = x.length;
  if (n < MIN_CORRELATION_PAIRS) {
    return insufficient(`too few pairs to correlate: ${n} (need at least ${MIN_CORRELATION_PAIRS})`);
  }
  const r = args.method === "pearson" ? pearson(x, y) : spearman(x, y);
  if (Number.isNaN(r)) return insufficient("one of the two variables does not vary, so the correlation is undefined");
  const df = n - 2;
  const p = Math.abs(r) === 1 ? 0 : studentTTwoSidedP(r * Math.sqrt(df / ((1 - r) * (1 + r))), df);
  return sufficient({ method: args.method, r, p, n });
}

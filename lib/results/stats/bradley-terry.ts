/**
 * Bradley-Terry strengths from pairwise preferences, P(i beats j) = pi_i / (pi_i + pi_j).
 *
 * - Fit: maximum likelihood by the MM (Zermelo) iteration of Hunter (2004),
 *   pi_i <- W_i / sum_j N_ij / (pi_i + pi_j), until log-strengths move less than 1e-10.
 * - Ties count as half a win for each side (the Rao-Kupper and Davidson models would add a tie
 *   parameter; half-wins keep one parameter per system and give the same ordering).
 * - Normalisation: log-strengths have mean 0, so exp(logStrength) is relative to the geometric
 *   mean system.
 * - The MLE exists only when the "beat at least once" graph is strongly connected (Zermelo's
 *   condition); otherwise a system's strength runs off to infinity and we report why instead.
 * - CIs: percentile bootstrap over items (every comparison on a resampled item comes along).
 */
import { bootstrapReplicates, type BootstrapOptions, percentileInterval } from "./bootstrap";
import { type Figure, insufficient, sufficient } from "./sufficiency";

export interface PairwiseComparison {
  /** Unit resampled by the bootstrap, normally the item id. */
  unitId: string;
  a: number;
  b: number;
  /** Score of a: 1 a won, 0 b won, 0.5 tie. */
  scoreA: number;
}

export interface BradleyTerryFit {
  systems: { systemId: string; logStrength: number; lower: number | null; upper: number | null }[];
  /** Probability each system is preferred to the reference system, when one was named. */
  versusReference: { systemId: string; probability: number; lower: number | null; upper: number | null }[] | null;
  comparisons: number;
  units: number;
  bootstrapFailures: number;
}

/** True when every system can reach every other through "won at least half a comparison" edges. */
export function isStronglyConnected(wins: Float64Array, k: number): boolean {
  const reach = (forward: boolean) => {
    const seen = new Uint8Array(k);
    const stack = [0];
    seen[0] = 1;
    while (stack.length) {
      const i = stack.pop()!;
      for (let j = 0; j < k; j++) {
        const edge = forward ? wins[i * k + j] : wins[j * k + i];
        if (!seen[j] && edge > 0) {
          seen[j] = 1;
          stack.push(j);
        }
      }
    }
    return seen.every((s) => s === 1);
  };
  return k > 0 && reach(true) && reach(false);
}

/** MLE log-strengths (mean 0) from a k x k matrix of (half-)wins; NaNs when it does not exist. */
export function fitFromWins(wins: Float64Array, k: number, maxIterations = 100_000): Float64Array {
  const logStrength = new Float64Array(k).fill(NaN);
  if (!isStronglyConnected(wins, k)) return logStrength;
  const pi = new Float64Array(k).fill(1);
  const next = new Float64Array(k);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    let logSum = 0;
    for (let i = 0; i < k; i++) {
      let won = 0;
      let denominator = 0;
      for (let j = 0; j < k; j++) {
        if (i === j) continue;
        const games = wins[i * k + j] + wins[j * k + i];
        won += wins[i * k + j];
        if (games > 0) denominator += games / (pi[i] + pi[j]);
      }
      next[i] = won / denominator;
      logSum += Math.log(next[i]);
    }
    const scale = Math.exp(logSum / k);
    let change = 0;
    for (let i = 0; i < k; i++) {
      const value = next[i] / scale;
      change = Math.max(change, Math.abs(Math.log(value) - Math.log(pi[i])));
      pi[i] = value;
    }
    if (change < 1e-10) break;
  }
  for (let i = 0; i < k; i++) logStrength[i] = Math.log(pi[i]);
  return logStrength;
}

const logistic = (x: number) => 1 / (1 + Math.exp(-x));

/** Bradley-Terry fit with bootstrap CIs over units. */
export function bradleyTerry(args: {
  systemIds: readonly string[];
  comparisons: readonly PairwiseComparison[];
  referenceSystemId?: string;
  bootstrap?: BootstrapOptions;
}): Figure<BradleyTerryFit> {
  const k = args.systemIds.length;
  if (k < 2) return insufficient("fewer than two systems were compared");
  const byUnit = new Map<string, PairwiseComparison[]>();
  for (const comparison of args.comparisons) {
    const list = byUnit.get(comparison.unitId);
    if (list) list.push(comparison);
    else byUnit.set(comparison.unitId, [comparison]);
  }
  const unitStart = new Int32Array(byUnit.size + 1);
  const cellWin = new Int32Array(args.comparisons.length * 2);
  const cellScore = new Float64Array(args.comparisons.length * 2);
  let cursor = 0;
  let u = 0;
  for (const list of byUnit.values()) {
    for (const { a, b, scoreA } of list) {
      cellWin[cursor] = a * k + b;
      cellScore[cursor++] = scoreA;
      cellWin[cursor] = b * k + a;
      cellScore[cursor++] = 1 - scoreA;
    }
    unitStart[++u] = cursor;
  }

  const reference = args.referenceSystemId === undefined ? -1 : args.systemIds.indexOf(args.referenceSystemId);
  const wins = new Float64Array(k * k);
  const statistic = (indices: Uint32Array, out: Float64Array) => {
    wins.fill(0);
    for (let i = 0; i < indices.length; i++) {
      const unit = indices[i];
      for (let c = unitStart[unit]; c < unitStart[unit + 1]; c++) wins[cellWin[c]] += cellScore[c];
    }
    const beta = fitFromWins(wins, k);
    for (let s = 0; s < k; s++) {
      out[s] = beta[s];
      if (reference >= 0) out[k + s] = logistic(beta[s] - beta[reference]);
    }
  };
  const statisticCount = reference >= 0 ? 2 * k : k;
  const estimate = new Float64Array(statisticCount);
  statistic(Uint32Array.from({ length: byUnit.size }, (_, i) => i), estimate);
  if (!Number.isFinite(estimate[0])) {
    return insufficient(
      "the comparison graph is not connected both ways (some system never won or never lost against the rest), so strengths are not identifiable",
    );
  }
  const set = args.bootstrap
    ? bootstrapReplicates({ ...args.bootstrap, unitCount: byUnit.size, statisticCount, statistic })
    : null;
  let bootstrapFailures = 0;
  const interval = (s: number) => {
    if (!set) return { lower: null, upper: null };
    bootstrapFailures = set.replicates[s].filter((v) => !Number.isFinite(v)).length;
    const ci = percentileInterval(estimate[s], set.replicates[s], args.bootstrap);
    return ci.ok ? { lower: ci.lower, upper: ci.upper } : { lower: null, upper: null };
  };
  return sufficient({
    systems: args.systemIds.map((systemId, s) => ({ systemId, logStrength: estimate[s], ...interval(s) })),
    versusReference:
      reference >= 0
        ? args.systemIds.map((systemId, s) => ({ systemId, probability: estimate[k + s], ...interval(k + s) }))
        : null,
    comparisons: args.comparisons.length,
    units: byUnit.size,
    bootstrapFailures,
  });
}

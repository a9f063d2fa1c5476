/**
 * Bradley-Terry strengths from pairwise preferences, P(i beats j) = pi_i / (pi_i + pi_j).
 *
 * - Fit: maximum likelihood by Newton-Raphson on the log-strengths (the log-likelihood is
 *   concave), with step halving whenever a step would lower the likelihood, to 1e-10. The MM
 *   (Zermelo) iteration of Hunter (2004) reaches the same optimum but needs hundreds of steps
 *   when the comparison graph is a star (every student against the teacher only), which made
 *   the bootstrap slow.
 * - Ties count as half a win for each side (the Rao-Kupper and Davidson models would add a tie
 *   parameter; half-wins keep one parameter per system and give the same ordering).
 * - Normalisation: log-strengths have mean 0, so exp(logStrength) is relative to the geometric
 *   mean system.
 * - The MLE exists only when the "beat at least once" graph is strongly connected (Zermelo's
 *   condition); otherwise a system's strength runs off to infinity and we report why instead.
 * - CIs: percentile bootstrap over items (every comparison on a resampled item comes along).
 */
import {
  addDrawWeights,
  bootstrapReplicates,
  type BootstrapOptions,
  forEachResampleBatch,
  percentileInterval,
  replicateCount,
  unpackLanes,
  widestIntegerLanes,
} from "./bootstrap";
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

function logLikelihood(wins: Float64Array, k: number, beta: Float64Array): number {
  let total = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const w = wins[i * k + j];
      if (i === j || w === 0) continue;
      const high = Math.max(beta[i], beta[j]);
      total += w * (beta[i] - high - Math.log(Math.exp(beta[i] - high) + Math.exp(beta[j] - high)));
    }
  }
  return total;
}

/** Solves A x = b in place for a symmetric positive definite A (Cholesky); false if A is not. */
function solveSpd(a: Float64Array, b: Float64Array, m: number): boolean {
  for (let j = 0; j < m; j++) {
    let d = a[j * m + j];
    for (let p = 0; p < j; p++) d -= a[j * m + p] ** 2;
    if (!(d > 0)) return false;
    d = Math.sqrt(d);
    a[j * m + j] = d;
    for (let i = j + 1; i < m; i++) {
      let v = a[i * m + j];
      for (let p = 0; p < j; p++) v -= a[i * m + p] * a[j * m + p];
      a[i * m + j] = v / d;
    }
  }
  for (let i = 0; i < m; i++) {
    let v = b[i];
    for (let p = 0; p < i; p++) v -= a[i * m + p] * b[p];
    b[i] = v / a[i * m + i];
  }
  for (let i = m - 1; i >= 0; i--) {
    let v = b[i];
    for (let p = i + 1; p < m; p++) v -= a[p * m + i] * b[p];
    b[i] = v / a[i * m + i];
  }
  return true;
}

/** MLE log-strengths (mean 0) from a k x k matrix of (half-)wins; NaNs when it does not exist. */
export function fitFromWins(wins: Float64Array, k: number, maxIterations = 200): Float64Array {
  const beta = new Float64Array(k);
  const failed = () => beta.fill(NaN);
  if (!isStronglyConnected(wins, k)) return failed();
  // beta[0] stays 0 while fitting; the others are free, then all are centred.
  const m = k - 1;
  const hessian = new Float64Array(m * m);
  const step = new Float64Array(m);
  const trial = new Float64Array(k);
  let current = logLikelihood(wins, k, beta);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    hessian.fill(0);
    step.fill(0);
    for (let i = 0; i < k; i++) {
      for (let j = i + 1; j < k; j++) {
        const games = wins[i * k + j] + wins[j * k + i];
        if (games === 0) continue;
        const p = 1 / (1 + Math.exp(beta[j] - beta[i]));
        const gradient = wins[i * k + j] - games * p;
        const information = games * p * (1 - p);
        if (i > 0) {
          step[i - 1] += gradient;
          hessian[(i - 1) * m + (i - 1)] += information;
        }
        if (j > 0) {
          step[j - 1] -= gradient;
          hessian[(j - 1) * m + (j - 1)] += information;
        }
        if (i > 0 && j > 0) {
          hessian[(i - 1) * m + (j - 1)] -= information;
          hessian[(j - 1) * m + (i - 1)] -= information;
        }
      }
    }
    if (!solveSpd(hessian, step, m)) return failed();
    let scale = 1;
    let next = current;
    for (let halving = 0; halving < 40; halving++) {
      trial[0] = 0;
      for (let i = 1; i < k; i++) trial[i] = beta[i] + scale * step[i - 1];
      next = logLikelihood(wins, k, trial);
      if (next >= current - 1e-12 * Math.abs(current)) break;
      scale /= 2;
    }
    let change = 0;
    for (let i = 1; i < k; i++) {
      change = Math.max(change, Math.abs(trial[i] - beta[i]));
      beta[i] = trial[i];
    }
    current = next;
    if (change < 1e-10) break;
  }
  let centre = 0;
  for (let i = 0; i < k; i++) centre += beta[i] / k;
  for (let i = 0; i < k; i++) beta[i] -= centre;
  return beta;
}

// A top-level hot loop (see sumRows in bootstrap.ts for why not inside the closure).
function accumulateWins(
  indices: Uint32Array,
  unitStart: Int32Array,
  cellWin: Int32Array,
  cellScore: Float64Array,
  wins: Float64Array,
) {
  wins.fill(0);
  for (let i = 0; i < indices.length; i++) {
    const unit = indices[i];
    for (let c = unitStart[unit]; c < unitStart[unit + 1]; c++) wins[cellWin[c]] += cellScore[c];
  }
}

const logistic = (x: number) => 1 / (1 + Math.exp(-x));

/** Bradley-Terry fit with bootstrap CIs over units. */
export function bradleyTerry(args: {
  systemIds: readonly string[];
  comparisons: readonly PairwiseComparison[];
  referenceSystemId?: string;
  /**
   * The units in resampling order, when the bootstrap must line up with shared item draws;
   * units without comparisons may be listed. Default: units in order of first appearance.
   */
  unitIds?: readonly string[];
  bootstrap?: BootstrapOptions;
}): Figure<BradleyTerryFit> {
  const units = new Map<string, number>();
  for (const id of args.unitIds ?? []) if (!units.has(id)) units.set(id, units.size);
  const n = args.comparisons.length;
  const unit = new Int32Array(n);
  const a = new Int32Array(n);
  const b = new Int32Array(n);
  const scoreA = new Float64Array(n);
  args.comparisons.forEach((comparison, j) => {
    let u = units.get(comparison.unitId);
    if (u === undefined) {
      if (args.unitIds) throw new RangeError(`unit ${comparison.unitId} is not in unitIds`);
      u = units.size;
      units.set(comparison.unitId, u);
    }
    unit[j] = u;
    a[j] = comparison.a;
    b[j] = comparison.b;
    scoreA[j] = comparison.scoreA;
  });
  return bradleyTerryOfUnits({ ...args, unitCount: units.size, comparisons: { unit, a, b, scoreA } });
}

/** The same from comparison columns: unit (0 .. unitCount - 1), systems a and b, score of a. */
export function bradleyTerryOfUnits(args: {
  systemIds: readonly string[];
  unitCount: number;
  comparisons: { unit: Int32Array; a: Int32Array; b: Int32Array; scoreA: Float64Array };
  referenceSystemId?: string;
  bootstrap?: BootstrapOptions;
}): Figure<BradleyTerryFit> {
  const k = args.systemIds.length;
  if (k < 2) return insufficient("fewer than two systems were compared");
  const { unit, a, b, scoreA } = args.comparisons;
  const n = unit.length;
  const U = args.unitCount;
  // Comparisons by unit, in their order (a stable counting sort).
  const byUnitStart = new Int32Array(U + 1);
  for (let j = 0; j < n; j++) byUnitStart[unit[j] + 1]++;
  for (let u = 0; u < U; u++) byUnitStart[u + 1] += byUnitStart[u];
  const next = byUnitStart.slice(0, U);
  const order = new Int32Array(n);
  for (let j = 0; j < n; j++) order[next[unit[j]]++] = j;
  // Each unit's comparisons collapse to at most k^2 win cells, added once per draw.
  const slot = new Int32Array(k * k).fill(-1);
  const unitStart = new Int32Array(U + 1);
  const cellWin: number[] = [];
  const cellScore: number[] = [];
  let comparedUnits = 0;
  const cellOf = (cell: number) => {
    if (slot[cell] < 0) {
      slot[cell] = cellWin.length;
      cellWin.push(cell);
      cellScore.push(0);
    }
    return slot[cell];
  };
  for (let u = 0; u < U; u++) {
    const first = cellWin.length;
    for (let o = byUnitStart[u]; o < byUnitStart[u + 1]; o++) {
      const j = order[o];
      const forward = cellOf(a[j] * k + b[j]);
      cellScore[forward] = cellScore[forward] + scoreA[j];
      const backward = cellOf(b[j] * k + a[j]);
      cellScore[backward] = cellScore[backward] + 1 - scoreA[j];
    }
    for (let c = first; c < cellWin.length; c++) slot[cellWin[c]] = -1;
    if (cellWin.length > first) comparedUnits++;
    unitStart[u + 1] = cellWin.length;
  }
  const cellWinArray = Int32Array.from(cellWin);
  const cellScoreArray = Float64Array.from(cellScore);

  const reference = args.referenceSystemId === undefined ? -1 : args.systemIds.indexOf(args.referenceSystemId);
  const wins = new Float64Array(k * k);
  const statistic = (indices: Uint32Array, out: Float64Array) => {
    accumulateWins(indices, unitStart, cellWinArray, cellScoreArray, wins);
    const beta = fitFromWins(wins, k);
    for (let s = 0; s < k; s++) {
      out[s] = beta[s];
      if (reference >= 0) out[k + s] = logistic(beta[s] - beta[reference]);
    }
  };
  const statisticCount = reference >= 0 ? 2 * k : k;
  const estimate = new Float64Array(statisticCount);
  statistic(
    Uint32Array.from({ length: U }, (_, i) => i),
    estimate,
  );
  if (!Number.isFinite(estimate[0])) {
    return insufficient(
      "the comparison graph is not connected both ways (some system never won or never lost against the rest), so strengths are not identifiable",
    );
  }
  const set = args.bootstrap
    ? (laneReplicates({
        bootstrap: args.bootstrap,
        unitStart,
        cellWin: cellWinArray,
        cellScore: cellScoreArray,
        k,
        reference,
        statisticCount,
      }) ?? bootstrapReplicates({ ...args.bootstrap, unitCount: U, statisticCount, statistic }))
    : null;
  // A replicate fails as a whole (no MLE), so every statistic has the same failures.
  const bootstrapFailures = set ? set.replicates[0].filter((v) => !Number.isFinite(v)).length : 0;
  const interval = (s: number) => {
    if (!set) return { lower: null, upper: null };
    const ci = percentileInterval(estimate[s], set.replicates[s], args.bootstrap);
    return ci.ok ? { lower: ci.lower, upper: ci.upper } : { lower: null, upper: null };
  };
  return sufficient({
    systems: args.systemIds.map((systemId, s) => ({ systemId, logStrength: estimate[s], ...interval(s) })),
    versusReference:
      reference >= 0
        ? args.systemIds.map((systemId, s) => ({ systemId, probability: estimate[k + s], ...interval(k + s) }))
        : null,
    comparisons: n,
    units: comparedUnits,
    bootstrapFailures,
  });
}

/**
 * The replicates with the win matrices of several replicates summed in one pass (see
 * integerLanes): doubled scores are integers (halves for ties), so each replicate's wins, and
 * so its fit, are exactly those of summing replicate by replicate. Null when scores are not
 * halves or the lanes would not fit; the caller then sums replicate by replicate.
 */
function laneReplicates(args: {
  bootstrap: BootstrapOptions;
  unitStart: Int32Array;
  cellWin: Int32Array;
  cellScore: Float64Array;
  k: number;
  reference: number;
  statisticCount: number;
}): { replicates: Float64Array[] } | null {
  const { unitStart, cellWin, k, reference } = args;
  const units = unitStart.length - 1;
  const doubled = args.cellScore.map((x) => 2 * x);
  let largest = 0;
  for (const x of doubled) {
    if (!Number.isInteger(x) || x < 0) return null;
    largest = Math.max(largest, x);
  }
  const lanes = widestIntegerLanes(largest * units, 2);
  if (!lanes) return null;
  const L = lanes.scale.length;
  const samples = replicateCount(args.bootstrap);
  const replicates = Array.from({ length: args.statisticCount }, () => new Float64Array(samples));
  const weight = new Float64Array(units);
  const packed = new Float64Array(k * k);
  const wins = new Float64Array(k * k);
  // Doubled wins of cell c in replicate first + l, at c * L + l.
  const cellLanes = new Float64Array(k * k * L);
  forEachResampleBatch({ ...args.bootstrap, unitCount: units, batch: L }, (draws, first, count) => {
    weight.fill(0);
    for (let l = 0; l < count; l++) addDrawWeights(draws, l * units, units, lanes.scale[l], weight);
    packed.fill(0);
    addCells(weight, unitStart, cellWin, doubled, packed);
    for (let c = 0; c < k * k; c++) unpackLanes(packed[c], lanes, cellLanes, c * L);
    for (let l = 0; l < count; l++) {
      for (let c = 0; c < k * k; c++) wins[c] = cellLanes[c * L + l] / 2;
      const beta = fitFromWins(wins, k);
      for (let s = 0; s < k; s++) {
        replicates[s][first + l] = beta[s];
        if (reference >= 0) replicates[k + s][first + l] = logistic(beta[s] - beta[reference]);
      }
    }
  });
  return { replicates };
}

function addCells(
  weight: Float64Array,
  unitStart: Int32Array,
  cellWin: Int32Array,
  doubled: Float64Array,
  packed: Float64Array,
) {
  for (let u = 0; u + 1 < unitStart.length; u++) {
    const w = weight[u];
    if (w === 0) continue;
    for (let c = unitStart[u]; c < unitStart[u + 1]; c++) packed[cellWin[c]] += w * doubled[c];
  }
}

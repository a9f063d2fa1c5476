/**
 * Student versus teacher on the same items. Inputs are per-item scores (ratings already
 * averaged per item), aligned so index i is the same item for both systems; the bootstrap
 * resamples items, keeping each student-teacher pair together. NaN on either side marks an item
 * that is not paired: it is left out (and, with shared item draws, drawn but skipped).
 *
 * - meanDifference: mean(student - teacher) with a percentile bootstrap CI.
 * - relativeScore: 100 * mean(student) / mean(teacher) on the raw rating scale (ratio of
 *   means, as in the distillation literature's "percent of teacher"); CI from the same resamples.
 *   Withheld when the teacher mean is not positive, where a ratio means nothing.
 * - wilcoxon: two-sided signed-rank test on the item differences of the test scale.
 * - winTieLoss: per item, student score above, equal to or below the teacher's; shares with
 *   bootstrap CIs and an exact sign test that leaves ties out.
 */
import {
  bootstrapReplicates,
  type BootstrapInterval,
  type BootstrapOptions,
  integerLanes,
  percentileInterval,
  sumRows,
  unpackLanes,
} from "./bootstrap";
import { type SignTestResult, signTest } from "./sign-test";
import { checkPairedItems, type Figure, insufficient, sufficient } from "./sufficiency";
import { type WilcoxonResult, wilcoxonSignedRank } from "./wilcoxon";

export interface ShareWithCI {
  count: number;
  share: number;
  lower: number | null;
  upper: number | null;
}

export interface PairedComparison {
  n: number;
  studentMean: number;
  teacherMean: number;
  /** Student minus teacher on the raw scale. */
  meanDifference: Figure<BootstrapInterval>;
  /** Student minus teacher on the test scale (z-scores when the caller standardised). */
  meanDifferenceTestScale: Figure<BootstrapInterval>;
  /** Percent of the teacher's mean raw score. */
  relativeScore: Figure<BootstrapInterval>;
  wilcoxon: Figure<WilcoxonResult & { pHolm: number | null }>;
  winTieLoss: {
    wins: ShareWithCI;
    ties: ShareWithCI;
    losses: ShareWithCI;
    signTest: Figure<SignTestResult & { pHolm: number | null }>;
  };
}

export interface PairedScores {
  /** Per-item raw means, same item order for both. */
  studentRaw: ArrayLike<number>;
  teacherRaw: ArrayLike<number>;
  /** Per-item means on the scale used for tests and win/tie/loss (default: the raw ones). */
  studentTest?: ArrayLike<number>;
  teacherTest?: ArrayLike<number>;
}

/**
 * Differences are rounded to this grid: item means of z-scores summed in different orders can
 * differ in the last bits, which would break ties (and the Wilcoxon tie correction) at random.
 */
const DIFFERENCE_GRID = 1e9;

export function comparePaired(scores: PairedScores, options: BootstrapOptions = {}): Figure<PairedComparison> {
  return comparePairedMany([scores], options)[0].figure;
}

/**
 * A comparison plus the bootstrap replicates of the student's mean over the paired items, which
 * come free with the difference's: a caller whose student was rated on exactly the paired
 * items gets the student's mean CI without another pass over the draws.
 */
export interface PairedResult {
  figure: Figure<PairedComparison>;
  studentMean: { estimate: number; replicates: Float64Array } | null;
}

interface Prepared {
  units: number;
  sRaw: Float64Array;
  tRaw: Float64Array;
  diffTest: Float64Array;
  outcome: Int8Array;
  paired: number[];
}

function preparePaired(scores: PairedScores): Prepared {
  const units = scores.studentRaw.length;
  if (scores.teacherRaw.length !== units) throw new RangeError("student and teacher scores must be aligned by item");
  const sRaw = Float64Array.from(scores.studentRaw);
  const tRaw = Float64Array.from(scores.teacherRaw);
  const sTest = scores.studentTest ?? sRaw;
  const tTest = scores.teacherTest ?? tRaw;
  const diffTest = new Float64Array(units);
  // outcome: 1 win, 0 tie, -1 loss, 2 not paired.
  const outcome = new Int8Array(units);
  const paired: number[] = [];
  for (let i = 0; i < units; i++) {
    const d = sTest[i] - tTest[i];
    if (Number.isNaN(d) || Number.isNaN(sRaw[i] - tRaw[i])) {
      outcome[i] = 2;
      continue;
    }
    diffTest[i] = Math.round(d * DIFFERENCE_GRID) / DIFFERENCE_GRID;
    outcome[i] = Math.sign(diffTest[i]);
    paired.push(i);
  }
  return { units, sRaw, tRaw, diffTest, outcome, paired };
}

/** Comparisons per student that all resample the same items, run two by two over the draws. */
const BATCH = 2;
/** With the shares alone each comparison is one column, so a criterion's students share one pass. */
const SHARES_BATCH = 8;

export interface PairedOptions extends BootstrapOptions {
  /**
   * "shares": bootstrap only the win/tie/loss shares, and leave the mean difference (both
   * scales) and the relative score as PENDING_INTERVAL for a caller that computes them another
   * way (the study bundle's two-way cluster intervals). One column summed per draw instead of
   * four. The shares are the same to the bit as with "all".
   */
  intervals?: "all" | "shares";
}

/** The interval a "shares" comparison leaves for its caller to fill (compare by identity). */
export const PENDING_INTERVAL = Object.freeze(insufficient("not computed: the caller supplies this interval"));

/**
 * Several comparisons on the same items (e.g. every student against the teacher). Each sum
 * runs over the draws in order, as alone, but two comparisons share a pass: eight running sums
 * per draw instead of four keep the processor busy while each addition waits for the last,
 * and the figures are the same to the bit.
 */
export function comparePairedMany(list: readonly PairedScores[], options: PairedOptions = {}): PairedResult[] {
  const prepared = list.map(preparePaired);
  const results: (PairedResult | null)[] = prepared.map((p) => {
    const short = checkPairedItems(p.paired.length);
    return short ? { figure: short, studentMean: null } : null;
  });
  const ready = prepared.map((_, j) => j).filter((j) => results[j] === null);
  const size = options.intervals === "shares" ? SHARES_BATCH : BATCH;
  for (let from = 0; from < ready.length; from += size) {
    const batch = ready.slice(from, from + size);
    const units = prepared[batch[0]].units;
    if (batch.some((j) => prepared[j].units !== units)) {
      for (const j of batch) results[j] = runBatch([prepared[j]], options)[0];
    } else
      runBatch(
        batch.map((j) => prepared[j]),
        options,
      ).forEach((r, k) => (results[batch[k]] = r));
  }
  return results as PairedResult[];
}

/** Where each statistic sits among a comparison's bootstrapped statistics (-1: not bootstrapped). */
interface Layout {
  count: number;
  difference: number;
  testDifference: number;
  relative: number;
  wins: number;
  ties: number;
  losses: number;
  studentMean: number;
}
const ALL: Layout = {
  count: 7,
  difference: 0,
  testDifference: 1,
  relative: 2,
  wins: 3,
  ties: 4,
  losses: 5,
  studentMean: 6,
};
const SHARES: Layout = {
  count: 3,
  difference: -1,
  testDifference: -1,
  relative: -1,
  wins: 0,
  ties: 1,
  losses: 2,
  studentMean: -1,
};

function runBatch(batch: readonly Prepared[], options: PairedOptions): PairedResult[] {
  const units = batch[0].units;
  const sharesOnly = options.intervals === "shares";
  const at = sharesOnly ? SHARES : ALL;
  // Per item, interleaved per comparison: student raw, teacher raw, test-scale difference (not
  // with shares alone), and the counts (is win, is tie, is paired); unpaired items are all
  // zeros. The replicate loop is then branch-free sums over contiguous memory (sumRows). The
  // three counts share one double (integerLanes) when they fit, which they do below 131,072 items.
  const lanes = integerLanes(3, units);
  const V = sharesOnly ? 0 : 3;
  const F = V + (lanes ? 1 : 3);
  const W = F * batch.length;
  const features = new Float64Array(units * W);
  batch.forEach(({ sRaw, tRaw, diffTest, outcome, paired }, b) => {
    for (const i of paired) {
      const k = i * W + b * F;
      if (!sharesOnly) {
        features[k] = sRaw[i];
        features[k + 1] = tRaw[i];
        features[k + 2] = diffTest[i];
      }
      const isWin = outcome[i] === 1 ? 1 : 0;
      const isTie = outcome[i] === 0 ? 1 : 0;
      if (lanes) features[k + V] = isWin * lanes.scale[0] + isTie * lanes.scale[1] + lanes.scale[2];
      else {
        features[k + V] = isWin;
        features[k + V + 1] = isTie;
        features[k + V + 2] = 1;
      }
    }
  });
  const sums = new Float64Array(W);
  const counts = new Float64Array(3);
  const STATS = at.count;
  const set = bootstrapReplicates({
    ...options,
    unitCount: units,
    statisticCount: STATS * batch.length,
    statistic: (indices, out) => {
      sumRows(indices, features, W, sums);
      for (let b = 0; b < batch.length; b++) {
        const f = b * F;
        if (lanes) unpackLanes(sums[f + V], lanes, counts);
        else {
          counts[0] = sums[f + V];
          counts[1] = sums[f + V + 1];
          counts[2] = sums[f + V + 2];
        }
        const wins = counts[0];
        const ties = counts[1];
        const m = counts[2];
        const o = b * STATS;
        out[o + at.wins] = wins / m;
        out[o + at.ties] = ties / m;
        out[o + at.losses] = (m - wins - ties) / m;
        if (sharesOnly) continue;
        // Indexed reads: destructuring a typed array goes through its iterator on every replicate.
        const sSum = sums[f];
        const tSum = sums[f + 1];
        const dSum = sums[f + 2];
        out[o + at.difference] = (sSum - tSum) / m;
        out[o + at.testDifference] = dSum / m;
        out[o + at.relative] = tSum > 0 ? (100 * sSum) / tSum : NaN;
        out[o + at.studentMean] = sSum / m;
      }
    },
  });
  return batch.map((p, b) =>
    assemble(
      p,
      at,
      set.estimates.subarray(b * STATS, (b + 1) * STATS),
      set.replicates.slice(b * STATS, (b + 1) * STATS),
      options,
    ),
  );
}

function assemble(
  p: Prepared,
  at: Layout,
  estimates: Float64Array,
  replicates: Float64Array[],
  options: BootstrapOptions,
): PairedResult {
  const { sRaw, tRaw, diffTest, outcome, paired } = p;
  const n = paired.length;
  const interval = (s: number) => (s < 0 ? PENDING_INTERVAL : percentileInterval(estimates[s], replicates[s], options));
  const share = (s: number, count: number): ShareWithCI => {
    const ci = interval(s);
    return { count, share: estimates[s], lower: ci.ok ? ci.lower : null, upper: ci.ok ? ci.upper : null };
  };
  const wins = outcome.filter((o) => o === 1).length;
  const ties = outcome.filter((o) => o === 0).length;
  const losses = n - wins - ties;
  let studentSum = 0;
  let teacherSum = 0;
  for (const i of paired) {
    studentSum += sRaw[i];
    teacherSum += tRaw[i];
  }
  const teacherMean = teacherSum / n;
  const wilcoxon = wilcoxonSignedRank(paired.map((i) => diffTest[i]));
  const sign = signTest({ wins, losses, ties });
  const figure = sufficient({
    n,
    studentMean: studentSum / n,
    teacherMean,
    meanDifference: interval(at.difference),
    meanDifferenceTestScale: interval(at.testDifference),
    relativeScore:
      teacherMean > 0
        ? interval(at.relative)
        : insufficient("the teacher's mean score is not positive, so a ratio is meaningless"),
    wilcoxon: wilcoxon.ok ? { ...wilcoxon, pHolm: null } : wilcoxon,
    winTieLoss: {
      wins: share(at.wins, wins),
      ties: share(at.ties, ties),
      losses: share(at.losses, losses),
      signTest: sign.ok ? { ...sign, pHolm: null } : sign,
    },
  });
  const studentMean =
    at.studentMean < 0 ? null : { estimate: estimates[at.studentMean], replicates: replicates[at.studentMean] };
  return { figure, studentMean };
}

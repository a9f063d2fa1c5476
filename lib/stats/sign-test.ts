/**
 * Two-sided exact binomial sign test. Ties carry no sign, so they are reported and excluded
 * from the test (the classical sign test; scipy.stats.binomtest(wins, wins + losses, 0.5)).
 * For p = 1/2 the two-sided p is min(1, 2 * P(X <= min(wins, losses))), which equals SciPy's
 * "sum of outcomes no more likely than the observed" rule because the null is symmetric.
 */
import { binomialHalfCdf } from "./distributions";
import { checkDecisive, type Figure, sufficient } from "./sufficiency";

export interface SignTestResult {
  wins: number;
  losses: number;
  ties: number;
  /** wins + losses. */
  n: number;
  p: number;
}

export function signTestRaw(counts: { wins: number; losses: number; ties?: number }): SignTestResult {
  const { wins, losses } = counts;
  const n = wins + losses;
  const p = n === 0 ? 1 : Math.min(1, 2 * binomialHalfCdf(Math.min(wins, losses), n));
  return { wins, losses, ties: counts.ties ?? 0, n, p };
}

/** Sign test on counts, insufficient when fewer than 5 comparisons were decisive. */
export function signTest(counts: { wins: number; losses: number; ties?: number }): Figure<SignTestResult> {
  const short = checkDecisive(counts.wins + counts.losses);
  if (short) return short;
  return sufficient(signTestRaw(counts));
}

/** Sign test on paired differences (positive = win for x). */
export function signTestFromDifferences(differences: ArrayLike<number>): Figure<SignTestResult> {
  let wins = 0;
  let losses = 0;
  let ties = 0;
  for (let i = 0; i < differences.length; i++) {
    if (differences[i] > 0) wins++;
    else if (differences[i] < 0) losses++;
    else ties++;
  }
  return signTest({ wins, losses, ties });
}

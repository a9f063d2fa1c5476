/**
 * Non-inferiority of a student at the researcher's margin: is the student's score at least
 * (100 - margin)% of the teacher's? For each student and criterion the relative score's
 * one-sided bounds use its two-way (items x annotators) standard error (two-way-cluster.ts) and
 * a t quantile at 1 - alpha / m, where m is the number of student x criterion comparisons
 * (Bonferroni). Bonferroni rather than Holm so that the printed bound and the verdict always
 * agree: the verdict is read off the bound.
 *
 * - non-inferior: the lower bound is above 100 - margin;
 * - inferior: the upper bound is below 100 - margin (worse than the teacher by more than the margin);
 * - inconclusive: the interval straddles the threshold; `moreRatings` says about how many more
 *   ratings would settle it if the estimate held (the interval narrows as 1 / sqrt(items)).
 */
import { studentTQuantile } from "./distributions";
import { additionalRatings } from "./power";
import { type Figure, insufficient, sufficient } from "./sufficiency";

export const DEFAULT_MARGIN = 0.05;
/** One-sided error rate of the family before correction: the usual 97.5% one-sided bound. */
export const DEFAULT_NON_INFERIORITY_ALPHA = 0.025;

export type NonInferiorityVerdict = "non-inferior" | "inferior" | "inconclusive";

export interface NonInferiority {
  /** Relative margin, e.g. 0.05 for 5%. */
  margin: number;
  /** 100 * (1 - margin): the student's share of the teacher's score it must exceed. */
  threshold: number;
  estimate: number;
  lowerBound: number;
  upperBound: number;
  /** One-sided confidence level of each bound after the correction (1 - alpha / comparisons). */
  level: number;
  comparisons: number;
  verdict: NonInferiorityVerdict;
  /** Current width of the interval between the two one-sided bounds. */
  width: number;
  items: number;
  ratings: number;
  /** About how many more ratings would settle an inconclusive verdict; 0 when settled, null when none would. */
  moreRatings: number | null;
}

export interface NonInferiorityInput {
  /** Relative score in percent. */
  estimate: number;
  standardError: number;
  df: number;
  items: number;
  ratings: number;
}

/** Verdicts for a family of comparisons (every student x criterion), corrected together. */
export function nonInferiorityFamily(args: {
  entries: readonly (NonInferiorityInput | null)[];
  margin: number;
  alpha?: number;
}): Figure<NonInferiority>[] {
  const { margin } = args;
  if (!(margin > 0 && margin < 1)) throw new RangeError("margin must be between 0 and 1 (e.g. 0.05 for 5%)");
  const alpha = args.alpha ?? DEFAULT_NON_INFERIORITY_ALPHA;
  const isUsable = (e: NonInferiorityInput | null): e is NonInferiorityInput =>
    e !== null && Number.isFinite(e.estimate) && Number.isFinite(e.standardError) && e.df >= 1;
  const m = args.entries.filter(isUsable).length;
  const tail = alpha / Math.max(1, m);
  const threshold = 100 * (1 - margin);
  return args.entries.map((entry) => {
    if (!entry) return insufficient("no relative score for this comparison");
    if (!isUsable(entry)) return insufficient("the relative score or its standard error is undefined for these data");
    const t = studentTQuantile(1 - tail, entry.df);
    const lowerBound = entry.estimate - t * entry.standardError;
    const upperBound = entry.estimate + t * entry.standardError;
    const verdict: NonInferiorityVerdict =
      lowerBound > threshold ? "non-inferior" : upperBound < threshold ? "inferior" : "inconclusive";
    return sufficient({
      margin,
      threshold,
      estimate: entry.estimate,
      lowerBound,
      upperBound,
      level: 1 - tail,
      comparisons: m,
      verdict,
      width: upperBound - lowerBound,
      items: entry.items,
      ratings: entry.ratings,
      moreRatings:
        verdict === "inconclusive"
          ? additionalRatings({
              estimate: entry.estimate,
              lower: lowerBound,
              upper: upperBound,
              threshold,
              items: entry.items,
              ratings: entry.ratings,
            })
          : 0,
    });
  });
}

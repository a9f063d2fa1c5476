/**
 * Annotators whose ratings should not count without a look: too fast against the study's own
 * pace, failing known-answer checks, or straight-lining (the same value everywhere). Flags are
 * reasons in words; the results page can leave flagged annotators out and shows the verdicts
 * with and without them side by side, so that excluding them is a visible choice.
 */
import { median } from "@/lib/stats";

/** Below this share of the study's median time per rating an annotator is "too fast". */
export const TOO_FAST_SHARE = 1 / 3;
/** Gold accuracy below this, with at least MIN_GOLD answers, is a failed gold record. */
export const MIN_GOLD_ACCURACY = 0.6;
export const MIN_GOLD = 3;
/** Straight-lining: at least this share of an annotator's ratings give one value to every score. */
export const STRAIGHT_LINE_SHARE = 0.9;
export const MIN_RATINGS_FOR_PATTERN = 10;

export interface FlagInput {
  annotatorId: string;
  /** Active time of each of the annotator's ratings (ms). */
  activeMs: readonly number[];
  gold: { answered: number; correct: number };
  attention: { answered: number; correct: number };
  /** Regular ratings, and how many of them gave the same value to every criterion on both sides. */
  regularRatings: number;
  uniformRatings: number;
}

/** Flags per annotator, in words; an empty list means nothing stood out. */
export function annotatorFlags(annotators: readonly FlagInput[]): Map<string, string[]> {
  const all = annotators.flatMap((a) => a.activeMs);
  const studyMedian = all.length ? median(all) : null;
  const flags = new Map<string, string[]>();
  for (const a of annotators) {
    const list: string[] = [];
    if (studyMedian !== null && a.activeMs.length >= 5) {
      const own = median(a.activeMs);
      if (own < TOO_FAST_SHARE * studyMedian) {
        list.push(
          `too fast: median ${(own / 1000).toFixed(1)} s per rating against ${(studyMedian / 1000).toFixed(1)} s for the study`,
        );
      }
    }
    if (a.gold.answered >= MIN_GOLD && a.gold.correct / a.gold.answered < MIN_GOLD_ACCURACY) {
      list.push(`failed gold: ${a.gold.correct} of ${a.gold.answered} correct`);
    }
    if (a.attention.answered > 0 && a.attention.correct < a.attention.answered) {
      list.push(`failed attention checks: ${a.attention.answered - a.attention.correct} of ${a.attention.answered}`);
    }
    if (a.regularRatings >= MIN_RATINGS_FOR_PATTERN && a.uniformRatings / a.regularRatings >= STRAIGHT_LINE_SHARE) {
      list.push(`straight-lining: one value for every score in ${a.uniformRatings} of ${a.regularRatings} ratings`);
    }
    flags.set(a.annotatorId, list);
  }
  return flags;
}

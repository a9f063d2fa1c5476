/**
 * When a study's figures stop being a pilot's. The thresholds in sufficiency.ts only refuse
 * nonsense (a mean of one item); these are the stated minimums below which every figure is
 * marked preliminary on the page, the report, the headline and the exports, with what is missing.
 */
import type { RatingColumns } from "./columns";

export const READINESS_MINIMUMS = {
  /** Items with ratings: fewer cannot say much about the eval set. */
  items: 30,
  /** Median distinct annotators per rated item: agreement needs at least two. */
  annotatorsPerItem: 2,
  /** Annotators overall: fewer cannot say much about another panel. */
  annotators: 3,
} as const;

export interface Readiness {
  isPreliminary: boolean;
  minimums: { items: number; annotatorsPerItem: number; annotators: number };
  observed: { items: number; annotatorsPerItem: number; annotators: number };
  /** One plain sentence per unmet minimum. */
  missing: string[];
}

export function assessReadiness(ratings: RatingColumns, itemCount: number, annotatorCount: number): Readiness {
  const seen = new Set<number>();
  const perItem = new Int32Array(itemCount);
  const annotators = new Set<number>();
  for (let r = 0; r < ratings.length; r++) {
    if (ratings.criterion[r] < 0) continue;
    annotators.add(ratings.annotator[r]);
    const key = ratings.item[r] * annotatorCount + ratings.annotator[r];
    if (seen.has(key)) continue;
    seen.add(key);
    perItem[ratings.item[r]]++;
  }
  const counts = Array.from(perItem)
    .filter((c) => c > 0)
    .sort((a, b) => a - b);
  const items = counts.length;
  const median = items === 0 ? 0 : (counts[Math.floor((items - 1) / 2)] + counts[Math.floor(items / 2)]) / 2;
  const observed = { items, annotatorsPerItem: median, annotators: annotators.size };
  const min = READINESS_MINIMUMS;
  const missing: string[] = [];
  if (items < min.items) missing.push(`${items} of the ${min.items} rated items needed`);
  if (median < min.annotatorsPerItem) {
    missing.push(`a median of ${median} annotators per item, ${min.annotatorsPerItem} needed to measure agreement`);
  }
  if (annotators.size < min.annotators) {
    missing.push(`${annotators.size} of the ${min.annotators} annotators needed to generalise beyond this panel`);
  }
  return { isPreliminary: missing.length > 0, minimums: { ...min }, observed, missing };
}

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
  // (item, annotator) seen: a bit table when it is small enough (a study: 5,000 x 60), else a set.
  const keys = itemCount * annotatorCount;
  const seenTable = keys <= 1 << 24 ? new Uint8Array(keys) : null;
  const seenSet = new Set<number>();
  const perItem = new Int32Array(itemCount);
  const isAnnotator = new Uint8Array(annotatorCount);
  let annotators = 0;
  for (let r = 0; r < ratings.length; r++) {
    if (ratings.criterion[r] < 0) continue;
    const a = ratings.annotator[r];
    if (!isAnnotator[a]) {
      isAnnotator[a] = 1;
      annotators++;
    }
    const key = ratings.item[r] * annotatorCount + a;
    if (seenTable) {
      if (seenTable[key]) continue;
      seenTable[key] = 1;
    } else {
      if (seenSet.has(key)) continue;
      seenSet.add(key);
    }
    perItem[ratings.item[r]]++;
  }
  const counts = perItem.filter((c) => c > 0).sort();
  const items = counts.length;
  const median = items === 0 ? 0 : (counts[Math.floor((items - 1) / 2)] + counts[Math.floor(items / 2)]) / 2;
  const observed = { items, annotatorsPerItem: median, annotators };
  const min = READINESS_MINIMUMS;
  const missing: string[] = [];
  if (items < min.items) missing.push(`${items} of the ${min.items} rated items needed`);
  if (median < min.annotatorsPerItem) {
    missing.push(`a median of ${median} annotators per item, ${min.annotatorsPerItem} needed to measure agreement`);
  }
  if (annotators < min.annotators) {
    missing.push(`${annotators} of the ${min.annotators} annotators needed to generalise beyond this panel`);
  }
  return { isPreliminary: missing.length > 0, minimums: { ...min }, observed, missing };
}

/**
 * Every figure is either computed or explains why not. Callers render `reason` instead of a
 * number, so a page never shows an estimate that the data cannot support.
 */
export interface Insufficient {
  ok: false;
  reason: string;
}

export type Figure<T extends object> = ({ ok: true } & T) | Insufficient;

export function insufficient(reason: string): Insufficient {
  return { ok: false, reason };
}

export function sufficient<T extends object>(value: T): { ok: true } & T {
  return { ok: true, ...value };
}

/** Minimum data for each kind of figure. Small on purpose: they guard nonsense, not power. */
export const MIN_PAIRED_ITEMS = 5;
export const MIN_NONZERO_DIFFERENCES = 5;
export const MIN_DECISIVE_COMPARISONS = 5;
export const MIN_ITEMS_FOR_MEAN = 2;
export const MIN_PAIRABLE_UNITS = 2;
export const MIN_CORRELATION_PAIRS = 5;
/** A bootstrap interval is withheld when more than this share of replicates were undefined. */
export const MAX_BOOTSTRAP_FAILURE_SHARE = 0.05;

export function checkPairedItems(n: number): Insufficient | null {
  return n < MIN_PAIRED_ITEMS ? insufficient(`too few paired items: ${n} (need at least ${MIN_PAIRED_ITEMS})`) : null;
}

export function checkNonzeroDifferences(nonzero: number): Insufficient | null {
  return nonzero < MIN_NONZERO_DIFFERENCES
    ? insufficient(`too few items with a non-zero difference: ${nonzero} (need at least ${MIN_NONZERO_DIFFERENCES})`)
    : null;
}

export function checkDecisive(decisive: number): Insufficient | null {
  return decisive < MIN_DECISIVE_COMPARISONS
    ? insufficient(`too few decisive (non-tied) comparisons: ${decisive} (need at least ${MIN_DECISIVE_COMPARISONS})`)
    : null;
}

export function checkItemsForMean(n: number): Insufficient | null {
  return n < MIN_ITEMS_FOR_MEAN
    ? insufficient(`too few rated items: ${n} (need at least ${MIN_ITEMS_FOR_MEAN})`)
    : null;
}

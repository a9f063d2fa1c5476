/**
 * Levenshtein distance over token sequences (insertions, deletions and substitutions each cost
 * 1), with two rows of memory. Normalised by the longer sequence, so 0 means identical and 1
 * means nothing in common position-wise; two empty sequences are at distance 0.
 */
export function levenshtein<T>(a: readonly T[], b: readonly T[]): number {
  if (a.length < b.length) return levenshtein(b, a);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(substitution, previous[j] + 1, current[j - 1] + 1);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length];
}

/** Levenshtein distance divided by the longer length, in [0, 1]. */
export function normalizedEditDistance<T>(a: readonly T[], b: readonly T[]): number {
  const longer = Math.max(a.length, b.length);
  return longer === 0 ? 0 : levenshtein(a, b) / longer;
}

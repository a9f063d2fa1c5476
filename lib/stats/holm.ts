/**
 * Holm-Bonferroni step-down adjustment: sort p ascending, multiply the i-th smallest (0-based)
 * by (m - i), make the sequence non-decreasing with a running maximum, cap at 1, and return
 * the adjusted values in the input order (as statsmodels' multipletests(method="holm")).
 * null entries (tests that were not run) stay null and do not count towards m.
 */
export function holmAdjust(pValues: readonly (number | null)[]): (number | null)[] {
  const present = pValues
    .map((p, index) => ({ p, index }))
    .filter((entry): entry is { p: number; index: number } => entry.p !== null);
  for (const { p } of present) {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`p-value ${p} is outside [0, 1]`);
  }
  const m = present.length;
  const sorted = [...present].sort((a, b) => a.p - b.p || a.index - b.index);
  const adjusted: (number | null)[] = pValues.map(() => null);
  let runningMax = 0;
  sorted.forEach(({ p, index }, rank) => {
    runningMax = Math.max(runningMax, Math.min(1, (m - rank) * p));
    adjusted[index] = runningMax;
  });
  return adjusted;
}

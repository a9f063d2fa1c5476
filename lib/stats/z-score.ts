/**
 * Per-annotator standardisation: each annotator's ratings on one criterion become
 * (value - annotator mean) / annotator SD, so a lenient and a strict annotator weigh the same
 * before ratings are averaged per item. The SD is the population SD (ddof = 0, as
 * scipy.stats.zscore). An annotator whose ratings on a criterion never vary carries no
 * information about differences: their z-scores are 0 and they are listed so the page can say so.
 */
export interface AnnotatorRating {
  annotatorId: string;
  criterion: string;
  value: number;
}

export interface ZScoreResult {
  /** z[i] belongs to rows[i]. */
  z: Float64Array;
  /** Annotator-criterion groups with zero variance (z set to 0). */
  constantGroups: { annotatorId: string; criterion: string; ratings: number }[];
}

/**
 * z-scores of values within groups given as indices (0 .. groupCount - 1); the fast path for
 * callers that have already interned annotator and criterion ids.
 */
export function zScoreGroups(
  values: ArrayLike<number>,
  groups: ArrayLike<number>,
  groupCount: number,
): { z: Float64Array; isConstant: Uint8Array; counts: Float64Array } {
  const n = values.length;
  const counts = new Float64Array(groupCount);
  const means = new Float64Array(groupCount);
  for (let i = 0; i < n; i++) {
    counts[groups[i]]++;
    means[groups[i]] += values[i];
  }
  for (let g = 0; g < groupCount; g++) means[g] /= counts[g] || 1;
  const sds = new Float64Array(groupCount);
  for (let i = 0; i < n; i++) sds[groups[i]] += (values[i] - means[groups[i]]) ** 2;
  const isConstant = new Uint8Array(groupCount);
  for (let g = 0; g < groupCount; g++) {
    sds[g] = Math.sqrt(sds[g] / (counts[g] || 1));
    // Relative threshold: floating-point noise in a constant group must not count as variance.
    isConstant[g] = sds[g] <= 1e-12 * Math.max(1, Math.abs(means[g])) ? 1 : 0;
  }
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const g = groups[i];
    z[i] = isConstant[g] ? 0 : (values[i] - means[g]) / sds[g];
  }
  return { z, isConstant, counts };
}

export function zScoreByAnnotator(rows: readonly AnnotatorRating[]): ZScoreResult {
  const groups = new Int32Array(rows.length);
  const keys = new Map<string, number>();
  const labels: { annotatorId: string; criterion: string }[] = [];
  rows.forEach((row, i) => {
    // \u0000 cannot appear in ids coming from the database, so the key is unambiguous.
    const key = `${row.annotatorId}\u0000${row.criterion}`;
    let group = keys.get(key);
    if (group === undefined) {
      group = labels.length;
      keys.set(key, group);
      labels.push({ annotatorId: row.annotatorId, criterion: row.criterion });
    }
    groups[i] = group;
  });
  const { z, isConstant, counts } = zScoreGroups(
    rows.map((row) => row.value),
    groups,
    labels.length,
  );
  return {
    z,
    constantGroups: labels.map((label, g) => ({ ...label, ratings: counts[g] })).filter((_, g) => isConstant[g] === 1),
  };
}

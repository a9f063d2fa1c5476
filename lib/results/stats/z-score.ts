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

export function zScoreByAnnotator(rows: readonly AnnotatorRating[]): ZScoreResult {
  const groupOf = new Int32Array(rows.length);
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
    groupOf[i] = group;
  });
  const count = new Float64Array(labels.length);
  const total = new Float64Array(labels.length);
  rows.forEach((row, i) => {
    count[groupOf[i]]++;
    total[groupOf[i]] += row.value;
  });
  const mean = total.map((t, g) => t / count[g]);
  const squares = new Float64Array(labels.length);
  rows.forEach((row, i) => {
    squares[groupOf[i]] += (row.value - mean[groupOf[i]]) ** 2;
  });
  const sd = squares.map((s, g) => Math.sqrt(s / count[g]));
  // Relative threshold: floating-point noise in a constant group must not count as variance.
  const isConstant = Array.from(sd, (s, g) => s <= 1e-12 * Math.max(1, Math.abs(mean[g])));
  const z = new Float64Array(rows.length);
  rows.forEach((row, i) => {
    const g = groupOf[i];
    z[i] = isConstant[g] ? 0 : (row.value - mean[g]) / sd[g];
  });
  return {
    z,
    constantGroups: labels
      .map((label, g) => ({ ...label, ratings: count[g] }))
      .filter((_, g) => isConstant[g]),
  };
}

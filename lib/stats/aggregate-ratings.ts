/**
 * Turns rating rows into the per-item arrays every statistic works from, in one pass over the
 * rows with interned ids (a study has ~10^5 rows; string maps are touched once per row).
 *
 * Cell (criterion c, system s, item i) holds the sum and count of raw ratings and of z-scores.
 * For paired comparisons, teacher ratings made in a pair with student s are also summed into
 * the matched cell (c, s, i), so a student is compared with the teacher ratings made beside it.
 */
import { emptyRatingColumns, type RatingColumns } from "./columns";
import { createInterner, intern, type Interner } from "./interner";
import type { Criterion, RatingRow } from "./schemas";
import { zScoreGroups } from "./z-score";

export interface RatingTables {
  itemCount: number;
  systemCount: number;
  criterionCount: number;
  /** Indexed ((c * systemCount + s) * itemCount + i). */
  rawSum: Float64Array;
  zSum: Float64Array;
  count: Float64Array;
  /** Teacher ratings made in a pair with student s, at index ((c * systemCount + s) * itemCount + i). */
  matchedTeacherRaw: Float64Array;
  matchedTeacherZ: Float64Array;
  matchedTeacherCount: Float64Array;
  /** Per criterion, Krippendorff units: one unit of values per (pair or item, system). */
  alphaUnits: AlphaUnits[];
  /** Ratings left out of alpha because the annotator already rated that unit. */
  duplicateRatings: number;
  /** Ratings on criteria that are not in the criteria list. */
  ignoredRatings: number;
  constantAnnotators: { annotatorId: string; criterion: string }[];
  /** Each row's z-score (per annotator and criterion); 0 for rows on unlisted criteria. */
  rowZ: Float64Array;
}

/** Units of values in compressed rows: unit u holds values[offsets[u] .. offsets[u + 1]). */
export interface AlphaUnits {
  offsets: Int32Array;
  values: Float64Array;
  /** The item of each unit (units of one item resample together). */
  item: Int32Array;
}

/** The same tables from rating rows (row API; the results page passes columns). */
export function aggregateRatings(args: {
  ratings: readonly RatingRow[];
  items: Interner;
  systems: Interner;
  criteria: readonly Criterion[];
  teacher: number;
}): Omit<RatingTables, "alphaUnits"> & { alphaUnits: number[][][]; alphaUnitItem: number[][] } {
  const { ratings, items, systems } = args;
  const criterionIndex = new Map(args.criteria.map((c, i) => [c.id, i]));
  const annotators = createInterner();
  const pairs = createInterner();
  const columns = emptyRatingColumns(ratings.length);
  ratings.forEach((row, r) => {
    columns.item[r] = intern(items, row.itemId);
    columns.system[r] = intern(systems, row.systemId);
    columns.criterion[r] = criterionIndex.get(row.criterion) ?? -1;
    columns.annotator[r] = intern(annotators, row.annotatorId);
    columns.pair[r] = row.pairId === undefined ? -1 : intern(pairs, row.pairId);
    columns.value[r] = row.value;
  });
  const tables = aggregateRatingColumns({
    ratings: columns,
    itemCount: items.ids.length,
    systemCount: systems.ids.length,
    annotatorIds: annotators.ids,
    pairCount: pairs.ids.length,
    criteria: args.criteria,
    teacher: args.teacher,
  });
  return {
    ...tables,
    alphaUnits: tables.alphaUnits.map((u) =>
      Array.from({ length: u.item.length }, (_, k) => Array.from(u.values.subarray(u.offsets[k], u.offsets[k + 1]))),
    ),
    alphaUnitItem: tables.alphaUnits.map((u) => Array.from(u.item)),
  };
}

/** Per-item tables, z-scores and alpha units from rating columns, in a few passes over typed arrays. */
export function aggregateRatingColumns(args: {
  ratings: RatingColumns;
  itemCount: number;
  systemCount: number;
  annotatorIds: readonly string[];
  pairCount: number;
  criteria: readonly Criterion[];
  teacher: number;
}): RatingTables {
  const { ratings, teacher } = args;
  const {
    item: rowItem,
    system: rowSystem,
    criterion: rowCriterion,
    annotator: rowAnnotator,
    pair: rowPair,
    value: values,
  } = ratings;
  const C = args.criteria.length;
  const n = ratings.length;
  const A = args.annotatorIds.length;
  const P = args.pairCount;
  // The pair's student: the system other than the teacher rated in it.
  const pairStudent = new Int32Array(P).fill(-1);
  for (let r = 0; r < n; r++) {
    if (rowCriterion[r] >= 0 && rowPair[r] >= 0 && rowSystem[r] !== teacher) pairStudent[rowPair[r]] = rowSystem[r];
  }

  // Rows on criteria outside the list go to a spare last group so they cannot shift any z-score.
  const spareGroup = A * C;
  const groups = new Int32Array(n);
  let ignoredRatings = 0;
  for (let r = 0; r < n; r++) {
    if (rowCriterion[r] < 0) {
      groups[r] = spareGroup;
      ignoredRatings++;
    } else groups[r] = rowAnnotator[r] * C + rowCriterion[r];
  }
  const { z, isConstant, counts } = zScoreGroups(values, groups, spareGroup + 1);

  const I = args.itemCount;
  const S = args.systemCount;
  const size = C * S * I;
  const rawSum = new Float64Array(size);
  const zSum = new Float64Array(size);
  const count = new Float64Array(size);
  const matchedTeacherRaw = new Float64Array(size);
  const matchedTeacherZ = new Float64Array(size);
  const matchedTeacherCount = new Float64Array(size);
  // Alpha unit of each row: one output in one pair (or in one item when pairs are not given),
  // numbered per criterion in order of first appearance.
  // Unit keys index a table when it is small enough (a study: 25,000 x 5 x 4 keys), else a map.
  const keySpace = (P + I) * S * C;
  const unitTable = keySpace <= 1 << 23 ? new Int32Array(keySpace).fill(-1) : null;
  const unitIndex = new Map<number, number>();
  const unitsOf = new Int32Array(C);
  const rowUnit = new Int32Array(n).fill(-1);
  // A criterion has at most as many units as rows: typed arrays of that size, trimmed below.
  const rowsOf = new Int32Array(C);
  for (let r = 0; r < n; r++) if (rowCriterion[r] >= 0) rowsOf[rowCriterion[r]]++;
  const unitSize = Array.from({ length: C }, (_, c) => new Int32Array(rowsOf[c]));
  const unitItem = Array.from({ length: C }, (_, c) => new Int32Array(rowsOf[c]));
  for (let r = 0; r < n; r++) {
    const c = rowCriterion[r];
    if (c < 0) continue;
    const s = rowSystem[r];
    const i = rowItem[r];
    const cell = (c * S + s) * I + i;
    rawSum[cell] += values[r];
    zSum[cell] += z[r];
    count[cell]++;
    const student = rowPair[r] >= 0 ? pairStudent[rowPair[r]] : -1;
    if (s === teacher && student >= 0) {
      const matched = (c * S + student) * I + i;
      matchedTeacherRaw[matched] += values[r];
      matchedTeacherZ[matched] += z[r];
      matchedTeacherCount[matched]++;
    }
    const unitKey = ((rowPair[r] >= 0 ? rowPair[r] : P + i) * S + s) * C + c;
    let unit = unitTable ? unitTable[unitKey] : (unitIndex.get(unitKey) ?? -1);
    if (unit < 0) {
      unit = unitsOf[c]++;
      if (unitTable) unitTable[unitKey] = unit;
      else unitIndex.set(unitKey, unit);
      unitItem[c][unit] = i;
    }
    unitSize[c][unit]++;
    rowUnit[r] = unit;
  }
  // Fill the units in row order; an annotator's second value in a unit is left out. Units hold
  // a few values, so a scan of the unit's coders finds a repeat fast.
  let duplicateRatings = 0;
  const alphaUnits: AlphaUnits[] = [];
  const starts: Int32Array[] = [];
  const filled: Int32Array[] = [];
  const coders: Int32Array[] = [];
  const unitValues: Float64Array[] = [];
  for (let c = 0; c < C; c++) {
    const start = new Int32Array(unitsOf[c] + 1);
    for (let u = 0; u < unitsOf[c]; u++) start[u + 1] = start[u] + unitSize[c][u];
    starts.push(start);
    filled.push(new Int32Array(unitsOf[c]));
    coders.push(new Int32Array(start[unitsOf[c]]));
    unitValues.push(new Float64Array(start[unitsOf[c]]));
  }
  for (let r = 0; r < n; r++) {
    const c = rowCriterion[r];
    if (c < 0) continue;
    const u = rowUnit[r];
    const base = starts[c][u];
    const have = filled[c][u];
    const a = rowAnnotator[r];
    const codersOfC = coders[c];
    let isRepeat = false;
    for (let k = base; k < base + have; k++) {
      if (codersOfC[k] === a) {
        isRepeat = true;
        break;
      }
    }
    if (isRepeat) {
      duplicateRatings++;
      continue;
    }
    codersOfC[base + have] = a;
    unitValues[c][base + have] = values[r];
    filled[c][u] = have + 1;
  }
  for (let c = 0; c < C; c++) {
    // Compact away the slots of left-out repeats.
    const U = unitsOf[c];
    const offsets = new Int32Array(U + 1);
    for (let u = 0; u < U; u++) offsets[u + 1] = offsets[u] + filled[c][u];
    let compact = unitValues[c];
    if (offsets[U] !== starts[c][U]) {
      compact = new Float64Array(offsets[U]);
      for (let u = 0; u < U; u++)
        compact.set(unitValues[c].subarray(starts[c][u], starts[c][u] + filled[c][u]), offsets[u]);
    }
    alphaUnits.push({ offsets, values: compact, item: unitItem[c].slice(0, U) });
  }
  // Constant annotators in order of their first rating on a listed criterion.
  const constantAnnotators: RatingTables["constantAnnotators"] = [];
  const seen = new Uint8Array(A);
  for (let r = 0; r < n; r++) {
    const a = rowAnnotator[r];
    if (rowCriterion[r] < 0 || seen[a]) continue;
    seen[a] = 1;
    for (let c = 0; c < C; c++) {
      const g = a * C + c;
      if (isConstant[g] && counts[g] > 0)
        constantAnnotators.push({ annotatorId: args.annotatorIds[a], criterion: args.criteria[c].id });
    }
  }
  return {
    itemCount: I,
    systemCount: S,
    criterionCount: C,
    rawSum,
    zSum,
    count,
    matchedTeacherRaw,
    matchedTeacherZ,
    matchedTeacherCount,
    alphaUnits,
    duplicateRatings,
    ignoredRatings,
    constantAnnotators,
    rowZ: z,
  };
}

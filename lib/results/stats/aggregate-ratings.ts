/**
 * Turns rating rows into the per-item arrays every statistic works from, in one pass over the
 * rows with interned ids (a study has ~10^5 rows; string maps are touched once per row).
 *
 * Cell (criterion c, system s, item i) holds the sum and count of raw ratings and of z-scores.
 * For paired comparisons, teacher ratings made in a pair with student s are also summed into
 * the matched cell (c, s, i), so a student is compared with the teacher ratings made beside it.
 */
import type { Criterion, RatingRow } from "./schemas";
import { zScoreGroups } from "./z-score";

export interface Interner {
  ids: string[];
  index: Map<string, number>;
}

export function createInterner(initial: readonly string[] = []): Interner {
  const interner: Interner = { ids: [], index: new Map() };
  for (const id of initial) intern(interner, id);
  return interner;
}

export function intern(interner: Interner, id: string): number {
  let i = interner.index.get(id);
  if (i === undefined) {
    i = interner.ids.length;
    interner.index.set(id, i);
    interner.ids.push(id);
  }
  return i;
}

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
  /** Per criterion, Krippendorff rows: one row of values per (pair or item, system) unit. */
  alphaUnits: number[][][];
  /** Per criterion, the item index of each alpha unit (units of one item resample together). */
  alphaUnitItem: number[][];
  /** Ratings left out of alpha because the annotator already rated that unit. */
  duplicateRatings: number;
  /** Ratings on criteria that are not in the criteria list. */
  ignoredRatings: number;
  constantAnnotators: { annotatorId: string; criterion: string }[];
  annotatorCount: number;
}

export function aggregateRatings(args: {
  ratings: readonly RatingRow[];
  items: Interner;
  systems: Interner;
  criteria: readonly Criterion[];
  teacher: number;
}): RatingTables {
  const { ratings, items, systems, teacher } = args;
  const criterionIndex = new Map(args.criteria.map((c, i) => [c.id, i]));
  const C = args.criteria.length;
  const n = ratings.length;
  const annotators = createInterner();
  const pairs = createInterner();
  const rowItem = new Int32Array(n);
  const rowSystem = new Int32Array(n);
  const rowCriterion = new Int32Array(n).fill(-1);
  const rowAnnotator = new Int32Array(n);
  const rowPair = new Int32Array(n).fill(-1);
  const values = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const row = ratings[r];
    const c = criterionIndex.get(row.criterion);
    if (c === undefined) continue;
    rowCriterion[r] = c;
    rowItem[r] = intern(items, row.itemId);
    rowSystem[r] = intern(systems, row.systemId);
    rowAnnotator[r] = intern(annotators, row.annotatorId);
    if (row.pairId !== undefined) rowPair[r] = intern(pairs, row.pairId);
    values[r] = row.value;
  }
  // The pair's student: the system other than the teacher rated in it.
  const pairStudent = new Int32Array(pairs.ids.length).fill(-1);
  for (let r = 0; r < n; r++) {
    if (rowCriterion[r] >= 0 && rowPair[r] >= 0 && rowSystem[r] !== teacher) pairStudent[rowPair[r]] = rowSystem[r];
  }

  // Rows on criteria outside the list go to a spare last group so they cannot shift any z-score.
  const spareGroup = annotators.ids.length * C;
  const groups = new Int32Array(n);
  let ignoredRatings = 0;
  for (let r = 0; r < n; r++) {
    if (rowCriterion[r] < 0) {
      groups[r] = spareGroup;
      ignoredRatings++;
    } else groups[r] = rowAnnotator[r] * C + rowCriterion[r];
  }
  const { z, isConstant, counts } = zScoreGroups(values, groups, spareGroup + 1);

  const I = items.ids.length;
  const S = systems.ids.length;
  const size = C * S * I;
  const tables: RatingTables = {
    itemCount: I,
    systemCount: S,
    criterionCount: C,
    rawSum: new Float64Array(size),
    zSum: new Float64Array(size),
    count: new Float64Array(size),
    matchedTeacherRaw: new Float64Array(size),
    matchedTeacherZ: new Float64Array(size),
    matchedTeacherCount: new Float64Array(size),
    alphaUnits: Array.from({ length: C }, () => []),
    alphaUnitItem: Array.from({ length: C }, () => []),
    duplicateRatings: 0,
    ignoredRatings,
    constantAnnotators: [],
    annotatorCount: annotators.ids.length,
  };
  const unitIndex = new Map<number, number>();
  // Annotators per alpha unit, aligned with alphaUnits: units hold a few values, so a scan of
  // the unit's list finds a repeat faster than a global set keyed by unit and annotator.
  const unitCoders: number[][][] = Array.from({ length: C }, () => []);
  const P = pairs.ids.length;
  for (let r = 0; r < n; r++) {
    const c = rowCriterion[r];
    if (c < 0) continue;
    const s = rowSystem[r];
    const i = rowItem[r];
    const cell = (c * S + s) * I + i;
    tables.rawSum[cell] += values[r];
    tables.zSum[cell] += z[r];
    tables.count[cell]++;
    const student = rowPair[r] >= 0 ? pairStudent[rowPair[r]] : -1;
    if (s === teacher && student >= 0) {
      const matched = (c * S + student) * I + i;
      tables.matchedTeacherRaw[matched] += values[r];
      tables.matchedTeacherZ[matched] += z[r];
      tables.matchedTeacherCount[matched]++;
    }
    // Alpha unit: one output in one pair (or in one item when pairs are not given).
    const unitKey = ((rowPair[r] >= 0 ? rowPair[r] : P + i) * S + s) * C + c;
    let unit = unitIndex.get(unitKey);
    if (unit === undefined) {
      unit = tables.alphaUnits[c].length;
      unitIndex.set(unitKey, unit);
      tables.alphaUnits[c].push([]);
      unitCoders[c].push([]);
      tables.alphaUnitItem[c].push(i);
    }
    const coders = unitCoders[c][unit];
    if (coders.includes(rowAnnotator[r])) tables.duplicateRatings++;
    else {
      coders.push(rowAnnotator[r]);
      tables.alphaUnits[c][unit].push(values[r]);
    }
  }
  for (let a = 0; a < annotators.ids.length; a++) {
    for (let c = 0; c < C; c++) {
      const g = a * C + c;
      if (isConstant[g] && counts[g] > 0) tables.constantAnnotators.push({ annotatorId: annotators.ids[a], criterion: args.criteria[c].id });
    }
  }
  return tables;
}

/**
 * The statistics' input as columns: one entry per rated value and per preference, ids replaced
 * by indices into small id lists. A study of 100,000 ratings has 800,000 rated values; as row
 * objects they cost most of a second in allocation, string hashing and garbage collection, as
 * typed arrays almost nothing. The results page builds these straight from SQL
 * (lib/results/build-statistics-input.ts); `columnsFromRows` builds them from plain rows.
 *
 * Index order matters: items are resampled by index with seeded draws, so both builders number
 * items (and systems) by first appearance, ratings before preferences, as the row API always has.
 */
import { createInterner, intern } from "./interner";
import type { Criterion, PreferenceRowInput, RatingRow } from "./schemas";

export interface RatingColumns {
  length: number;
  item: Int32Array;
  /** -1 when the rating names no pair. */
  pair: Int32Array;
  annotator: Int32Array;
  system: Int32Array;
  /** Index into StatisticsColumns.criteria, -1 for a criterion not in the list. */
  criterion: Int32Array;
  value: Float64Array;
}

export const CHOICE_LEFT = 0;
export const CHOICE_TIE = 1;
export const CHOICE_RIGHT = 2;

export interface PreferenceColumns {
  length: number;
  item: Int32Array;
  pair: Int32Array;
  annotator: Int32Array;
  left: Int32Array;
  right: Int32Array;
  /** CHOICE_LEFT, CHOICE_TIE or CHOICE_RIGHT. */
  choice: Uint8Array;
  /** Index into StatisticsColumns.preferenceCriteria. */
  criterion: Int32Array;
}

export interface StatisticsColumns {
  /** System ids by index; the teacher is 0, then the given systems, then others as they appear. */
  systemIds: string[];
  itemCount: number;
  /** Annotator ids by index (indices need not be in order of appearance). */
  annotatorIds: string[];
  /** Pair indices are below this. */
  pairCount: number;
  criteria: Criterion[];
  /** Preference criteria in order of first appearance. */
  preferenceCriteria: string[];
  ratings: RatingColumns;
  preferences: PreferenceColumns;
}

export function emptyRatingColumns(length: number): RatingColumns {
  return {
    length,
    item: new Int32Array(length),
    pair: new Int32Array(length),
    annotator: new Int32Array(length),
    system: new Int32Array(length),
    criterion: new Int32Array(length),
    value: new Float64Array(length),
  };
}

export function emptyPreferenceColumns(length: number): PreferenceColumns {
  return {
    length,
    item: new Int32Array(length),
    pair: new Int32Array(length),
    annotator: new Int32Array(length),
    left: new Int32Array(length),
    right: new Int32Array(length),
    choice: new Uint8Array(length),
    criterion: new Int32Array(length),
  };
}

/** Column code of each preference choice. */
export const CHOICE_CODE = { left: CHOICE_LEFT, tie: CHOICE_TIE, right: CHOICE_RIGHT } as const;

/** Columns of plain rating and preference rows (the row API of computeStudyStatistics). */
export function columnsFromRows(input: {
  teacherSystemId: string;
  systemIds?: readonly string[];
  criteria?: readonly { id: string; label?: string; level?: Criterion["level"] }[];
  ratings: readonly RatingRow[];
  preferences?: readonly PreferenceRowInput[];
}): StatisticsColumns {
  const preferences = input.preferences ?? [];
  const systems = createInterner([input.teacherSystemId, ...(input.systemIds ?? [])]);
  for (const row of input.ratings) intern(systems, row.systemId);
  for (const row of preferences) {
    intern(systems, row.leftSystemId);
    intern(systems, row.rightSystemId);
  }
  const items = createInterner();
  for (const row of input.ratings) intern(items, row.itemId);
  for (const row of preferences) intern(items, row.itemId);
  const criteria: Criterion[] =
    input.criteria?.map((c) => ({ id: c.id, label: c.label, level: c.level ?? "ordinal" })) ??
    [...new Set(input.ratings.map((r) => r.criterion))].map((id) => ({ id, level: "ordinal" as const }));
  const criterionIndex = new Map(criteria.map((c, i) => [c.id, i]));
  const annotators = createInterner();
  const pairs = createInterner();

  const ratings = emptyRatingColumns(input.ratings.length);
  input.ratings.forEach((row, r) => {
    ratings.item[r] = items.index.get(row.itemId)!;
    ratings.pair[r] = row.pairId === undefined ? -1 : intern(pairs, row.pairId);
    ratings.annotator[r] = intern(annotators, row.annotatorId);
    ratings.system[r] = systems.index.get(row.systemId)!;
    ratings.criterion[r] = criterionIndex.get(row.criterion) ?? -1;
    ratings.value[r] = row.value;
  });
  const preferenceCriteria = createInterner();
  const prefs = emptyPreferenceColumns(preferences.length);
  preferences.forEach((row, r) => {
    prefs.item[r] = items.index.get(row.itemId)!;
    prefs.pair[r] = row.pairId === undefined ? -1 : intern(pairs, row.pairId);
    prefs.annotator[r] = intern(annotators, row.annotatorId);
    prefs.left[r] = systems.index.get(row.leftSystemId)!;
    prefs.right[r] = systems.index.get(row.rightSystemId)!;
    prefs.choice[r] = CHOICE_CODE[row.choice];
    prefs.criterion[r] = intern(preferenceCriteria, row.criterion ?? "overall");
  });
  return {
    systemIds: systems.ids,
    itemCount: items.ids.length,
    annotatorIds: annotators.ids,
    pairCount: pairs.ids.length,
    criteria,
    preferenceCriteria: preferenceCriteria.ids,
    ratings,
    preferences: prefs,
  };
}

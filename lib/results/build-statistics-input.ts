/**
 * Turns stored ratings into the statistics library's rows: sides are mapped back to systems
 * through Rating.teacherOnLeft, so no figure ever depends on where an output was shown.
 * Only REGULAR pairs enter; GOLD and ATTENTION pairs measure annotators, not systems.
 */
import { placeSides, roleOf } from "@/lib/annotation";
import {
  CHOICE_LEFT,
  CHOICE_RIGHT,
  CHOICE_TIE,
  createInterner,
  type Criterion,
  intern,
  emptyPreferenceColumns,
  emptyRatingColumns,
  type PreferenceRow,
  type RatingRow,
  type StatisticsColumns,
} from "@/lib/stats";
import { KIND_REGULAR, type RatingColumnsDb, type RatingRowDb } from "./queries";

export interface MappedRatings {
  ratings: RatingRow[];
  preferences: PreferenceRow[];
}

const CHOICE = { LEFT: "left", RIGHT: "right", TIE: "tie" } as const;

export function toStatisticsRows(args: {
  rows: readonly RatingRowDb[];
  teacherSystemId: string;
  criteria: readonly string[];
  /** Annotators whose ratings are left out (e.g. paused for failing gold checks). */
  excludedAnnotators?: ReadonlySet<string>;
}): MappedRatings {
  const { teacherSystemId: teacher, criteria } = args;
  const ratings: RatingRow[] = [];
  const preferences: PreferenceRow[] = [];
  for (const r of args.rows) {
    if (r.kind !== "REGULAR" || args.excludedAnnotators?.has(r.annotatorId)) continue;
    const { left, right } = placeSides(r.teacherOnLeft, teacher, r.studentSystemId);
    for (const criterion of criteria) {
      const score = r.scores?.[criterion];
      if (!score) continue;
      if (typeof score.left === "number") {
        ratings.push({
          itemId: r.itemId,
          pairId: r.pairId,
          annotatorId: r.annotatorId,
          systemId: left,
          criterion,
          value: score.left,
          side: "left",
        });
      }
      if (typeof score.right === "number") {
        ratings.push({
          itemId: r.itemId,
          pairId: r.pairId,
          annotatorId: r.annotatorId,
          systemId: right,
          criterion,
          value: score.right,
          side: "right",
        });
      }
    }
    preferences.push({
      itemId: r.itemId,
      pairId: r.pairId,
      annotatorId: r.annotatorId,
      leftSystemId: left,
      rightSystemId: right,
      choice: CHOICE[r.preference],
      criterion: "overall",
    });
  }
  return { ratings, preferences };
}

/**
 * The same mapping from the study's rating columns straight to the statistics' columns, with
 * no row objects: what the results page uses. Entries come out in the order toStatisticsRows
 * would give them (per rating: each criterion's left then right value, then the preference),
 * and items and systems are numbered in the same order, so both paths give identical figures.
 */
export function toStatisticsColumns(args: {
  columns: RatingColumnsDb;
  teacherSystemId: string;
  /** Systems in display order (the teacher first). */
  systemIds: readonly string[];
  criteria: readonly Criterion[];
  excludedAnnotators?: ReadonlySet<string>;
}): StatisticsColumns {
  const { columns: db, criteria } = args;
  const C = criteria.length;
  const n = db.length;
  const excluded = Uint8Array.from(db.annotatorIds, (id) => (args.excludedAnnotators?.has(id) ? 1 : 0));
  const isUsed = new Uint8Array(n);
  let ratingCount = 0;
  let preferenceCount = 0;
  for (let r = 0; r < n; r++) {
    if (db.kind[r] !== KIND_REGULAR || excluded[db.annotator[r]]) continue;
    isUsed[r] = 1;
    preferenceCount++;
    for (let c = 0; c < C; c++)
      ratingCount += (Number.isNaN(db.left[c][r]) ? 0 : 1) + (Number.isNaN(db.right[c][r]) ? 0 : 1);
  }
  const systems = createInterner([args.teacherSystemId, ...args.systemIds]);
  const studentSystem = new Int32Array(db.studentSystemIds.length).fill(-1);
  const systemOf = (code: number) =>
    studentSystem[code] >= 0 ? studentSystem[code] : (studentSystem[code] = intern(systems, db.studentSystemIds[code]));
  let itemCount = 0;
  let maxItem = -1;
  for (let r = 0; r < n; r++) maxItem = Math.max(maxItem, db.item[r]);
  const itemIndex = new Int32Array(maxItem + 1).fill(-1);
  const itemOf = (code: number) => (itemIndex[code] >= 0 ? itemIndex[code] : (itemIndex[code] = itemCount++));

  const ratings = emptyRatingColumns(ratingCount);
  let k = 0;
  const push = (r: number, c: number, isLeft: boolean, value: number) => {
    // The teacher is system 0; the student is numbered on its first rating, as the rows would.
    const isTeacher = roleOf(isLeft ? "left" : "right", db.teacherOnLeft[r] === 1) === "teacher";
    ratings.item[k] = itemOf(db.item[r]);
    ratings.pair[k] = db.pair[r];
    ratings.annotator[k] = db.annotator[r];
    ratings.system[k] = isTeacher ? 0 : systemOf(db.student[r]);
    ratings.criterion[k] = c;
    ratings.value[k++] = value;
  };
  for (let r = 0; r < n; r++) {
    if (!isUsed[r]) continue;
    for (let c = 0; c < C; c++) {
      if (!Number.isNaN(db.left[c][r])) push(r, c, true, db.left[c][r]);
      if (!Number.isNaN(db.right[c][r])) push(r, c, false, db.right[c][r]);
    }
  }
  const preferences = emptyPreferenceColumns(preferenceCount);
  const choice = [CHOICE_LEFT, CHOICE_TIE, CHOICE_RIGHT];
  k = 0;
  let maxPair = -1;
  for (let r = 0; r < n; r++) {
    maxPair = Math.max(maxPair, db.pair[r]);
    if (!isUsed[r]) continue;
    const student = systemOf(db.student[r]);
    preferences.item[k] = itemOf(db.item[r]);
    preferences.pair[k] = db.pair[r];
    preferences.annotator[k] = db.annotator[r];
    const sides = placeSides(db.teacherOnLeft[r] === 1, 0, student);
    preferences.left[k] = sides.left;
    preferences.right[k] = sides.right;
    preferences.choice[k] = choice[db.preference[r]];
    preferences.criterion[k++] = 0;
  }
  return {
    systemIds: systems.ids,
    itemCount,
    annotatorIds: db.annotatorIds,
    pairCount: maxPair + 1,
    criteria: criteria.map((c) => ({ id: c.id, label: c.label, level: c.level ?? "ordinal" })),
    preferenceCriteria: preferenceCount ? ["overall"] : [],
    ratings,
    preferences,
  };
}

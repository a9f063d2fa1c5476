/** Ratings done against ratings needed (pairs x annotators per pair), per student and per annotator. */
import type { AnnotatorSummary } from "./annotator-table";
import { KIND_REGULAR, type RatingColumnsDb, type StudySystemRow } from "./queries";

export interface StudyProgress {
  done: number;
  needed: number;
  perSystem: { systemId: string; name: string; pairs: number; done: number; needed: number }[];
  checkPairs: { gold: number; attention: number; ratings: number };
  perAnnotator: { pseudonym: string; done: number; shareOfNeeded: number | null }[];
}

/** REGULAR ratings per student system id, and the GOLD and ATTENTION ratings, from the columns. */
export function ratingCounts(columns: Pick<RatingColumnsDb, "length" | "kind" | "student" | "studentSystemIds">): {
  regularByStudent: Map<string, number>;
  checkRatings: number;
} {
  const perCode = new Float64Array(columns.studentSystemIds.length);
  let checkRatings = 0;
  for (let r = 0; r < columns.length; r++) {
    if (columns.kind[r] === KIND_REGULAR) perCode[columns.student[r]]++;
    else checkRatings++;
  }
  const regularByStudent = new Map<string, number>();
  perCode.forEach((n, code) => {
    if (n > 0) regularByStudent.set(columns.studentSystemIds[code], n);
  });
  return { regularByStudent, checkRatings };
}

export function studyProgress(args: {
  counts: { regularByStudent: ReadonlyMap<string, number>; checkRatings: number };
  systems: readonly StudySystemRow[];
  pairCounts: readonly { studentSystemId: string; kind: string; n: number }[];
  k: number;
  annotators: readonly AnnotatorSummary[];
}): StudyProgress {
  const done = args.counts.regularByStudent;
  const checkRatings = args.counts.checkRatings;
  const perSystem = args.systems
    .filter((s) => s.role === "STUDENT")
    .map((s) => {
      const pairs = args.pairCounts.find((p) => p.studentSystemId === s.id && p.kind === "REGULAR")?.n ?? 0;
      return { systemId: s.id, name: s.name, pairs, done: done.get(s.id) ?? 0, needed: pairs * args.k };
    });
  const needed = perSystem.reduce((a, s) => a + s.needed, 0);
  const count = (kind: string) => args.pairCounts.filter((p) => p.kind === kind).reduce((a, p) => a + p.n, 0);
  return {
    done: perSystem.reduce((a, s) => a + s.done, 0),
    needed,
    perSystem,
    checkPairs: { gold: count("GOLD"), attention: count("ATTENTION"), ratings: checkRatings },
    perAnnotator: args.annotators.map((a) => ({
      pseudonym: a.pseudonym,
      done: a.regularRatings,
      shareOfNeeded: needed ? a.regularRatings / needed : null,
    })),
  };
}

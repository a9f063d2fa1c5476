/** Ratings done against ratings needed (pairs x annotators per pair), per student and per annotator. */
import type { AnnotatorSummary } from "./annotator-table";
import type { RatingRowDb, StudySystemRow } from "./queries";

export interface StudyProgress {
  done: number;
  needed: number;
  perSystem: { systemId: string; name: string; pairs: number; done: number; needed: number }[];
  checkPairs: { gold: number; attention: number; ratings: number };
  perAnnotator: { pseudonym: string; done: number; shareOfNeeded: number | null }[];
}

export function studyProgress(args: {
  rows: readonly RatingRowDb[];
  systems: readonly StudySystemRow[];
  pairCounts: readonly { studentSystemId: string; kind: string; n: number }[];
  k: number;
  annotators: readonly AnnotatorSummary[];
}): StudyProgress {
  const done = new Map<string, number>();
  let checkRatings = 0;
  for (const r of args.rows) {
    if (r.kind === "REGULAR") done.set(r.studentSystemId, (done.get(r.studentSystemId) ?? 0) + 1);
    else checkRatings++;
  }
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
    perAnnotator: args.annotators.map((a) => ({ pseudonym: a.pseudonym, done: a.regularRatings, shareOfNeeded: needed ? a.regularRatings / needed : null })),
  };
}

/**
 * Turns stored ratings into the statistics library's rows: sides are mapped back to systems
 * through Rating.teacherOnLeft, so no figure ever depends on where an output was shown.
 * Only REGULAR pairs enter; GOLD and ATTENTION pairs measure annotators, not systems.
 */
import type { PreferenceRow, RatingRow } from "@/lib/results/stats";
import type { RatingRowDb } from "./queries";

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
    const left = r.teacherOnLeft ? teacher : r.studentSystemId;
    const right = r.teacherOnLeft ? r.studentSystemId : teacher;
    for (const criterion of criteria) {
      const score = r.scores?.[criterion];
      if (!score) continue;
      if (typeof score.left === "number") {
        ratings.push({ itemId: r.itemId, pairId: r.pairId, annotatorId: r.annotatorId, systemId: left, criterion, value: score.left, side: "left" });
      }
      if (typeof score.right === "number") {
        ratings.push({ itemId: r.itemId, pairId: r.pairId, annotatorId: r.annotatorId, systemId: right, criterion, value: score.right, side: "right" });
      }
    }
    preferences.push({ itemId: r.itemId, pairId: r.pairId, annotatorId: r.annotatorId, leftSystemId: left, rightSystemId: right, choice: CHOICE[r.preference], criterion: "overall" });
  }
  return { ratings, preferences };
}

import { describe, expect, it } from "vitest";
import { computeStudyStatistics, computeStudyStatisticsOfColumns } from "@/lib/stats";
import { ratingColumnsOfRows } from "./annotator-table";
import { toStatisticsColumns, toStatisticsRows } from "./build-statistics-input";
import type { RatingRowDb } from "./queries";

const row = (over: Partial<RatingRowDb>): RatingRowDb => ({
  pairId: "p",
  itemId: "i",
  annotatorId: "a",
  studentSystemId: "S",
  kind: "REGULAR",
  teacherOnLeft: true,
  scores: { meaning: { left: 5, right: 3 } },
  preference: "LEFT",
  activeMs: 1,
  ...over,
});

describe("toStatisticsRows", () => {
  it("maps sides to systems through teacherOnLeft", () => {
    const a = toStatisticsRows({ rows: [row({ teacherOnLeft: true })], teacherSystemId: "T", criteria: ["meaning"] });
    const b = toStatisticsRows({ rows: [row({ teacherOnLeft: false })], teacherSystemId: "T", criteria: ["meaning"] });
    expect(a.ratings.map((r) => [r.systemId, r.value])).toEqual([
      ["T", 5],
      ["S", 3],
    ]);
    expect(b.ratings.map((r) => [r.systemId, r.value])).toEqual([
      ["S", 5],
      ["T", 3],
    ]);
    expect(a.preferences[0]).toMatchObject({ leftSystemId: "T", rightSystemId: "S", choice: "left" });
    expect(b.preferences[0]).toMatchObject({ leftSystemId: "S", rightSystemId: "T", choice: "left" });
  });

  it("leaves out gold and attention pairs, excluded annotators and unknown criteria", () => {
    const out = toStatisticsRows({
      rows: [row({ kind: "GOLD" }), row({ annotatorId: "x" }), row({ scores: { other: { left: 1, right: 1 } } })],
      teacherSystemId: "T",
      criteria: ["meaning"],
      excludedAnnotators: new Set(["x"]),
    });
    expect(out.ratings).toEqual([]);
    expect(out.preferences).toHaveLength(1);
  });
});

describe("toStatisticsColumns", () => {
  // The results page's path: its figures must be those of the row path above.
  it("gives the same statistics as toStatisticsRows, sides, exclusions and gold pairs included", () => {
    const criteria = ["meaning", "fluency"];
    const rows: RatingRowDb[] = [];
    for (let item = 0; item < 12; item++) {
      for (const student of ["S1", "S2"]) {
        for (const annotator of ["a", "b", "c", "x"]) {
          const seed = item * 7 + (student === "S1" ? 0 : 3) + annotator.charCodeAt(0);
          const teacherOnLeft = seed % 2 === 0;
          const teacher = 3 + (seed % 3);
          const other = 1 + ((seed * 5) % 5);
          rows.push(
            row({
              pairId: `${student}-${item}`,
              itemId: `i${item}`,
              annotatorId: annotator,
              studentSystemId: student,
              teacherOnLeft,
              kind: item === 11 ? "GOLD" : "REGULAR",
              scores: {
                meaning: teacherOnLeft ? { left: teacher, right: other } : { left: other, right: teacher },
                ...(seed % 4 === 0
                  ? {}
                  : { fluency: { left: 1 + (seed % 5), right: seed % 3 === 0 ? null : 1 + ((seed + 2) % 5) } }),
              },
              preference: (["LEFT", "TIE", "RIGHT"] as const)[seed % 3],
              activeMs: 1000 + seed,
            }),
          );
        }
      }
    }
    const excludedAnnotators = new Set(["x"]);
    const systemIds = ["T", "S1", "S2"];
    const options = { testScale: "z" as const, bootstrapSamples: 200 };
    const mapped = toStatisticsRows({ rows, teacherSystemId: "T", criteria, excludedAnnotators });
    const fromRows = computeStudyStatistics({
      teacherSystemId: "T",
      systemIds,
      criteria: criteria.map((id) => ({ id, label: id })),
      ratings: mapped.ratings,
      preferences: mapped.preferences,
      options,
    });
    const fromColumns = computeStudyStatisticsOfColumns(
      toStatisticsColumns({
        columns: ratingColumnsOfRows(rows, criteria),
        teacherSystemId: "T",
        systemIds,
        criteria: criteria.map((id) => ({ id, label: id, level: "ordinal" as const })),
        excludedAnnotators,
      }),
      options,
    );
    expect(fromColumns.meta.counts.preferences).toBe(11 * 2 * 3);
    expect(fromColumns.comparisons.some((c) => c.result.ok)).toBe(true); // figures, not only reasons, are compared
    expect(fromColumns).toEqual(fromRows);
  });
});

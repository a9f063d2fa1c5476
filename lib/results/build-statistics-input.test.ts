import { describe, expect, it } from "vitest";
import { toStatisticsRows } from "./build-statistics-input";
import type { RatingRowDb } from "./queries";

const row = (over: Partial<RatingRowDb>): RatingRowDb => ({
  pairId: "p", itemId: "i", annotatorId: "a", studentSystemId: "S", kind: "REGULAR", teacherOnLeft: true,
  scores: { meaning: { left: 5, right: 3 } }, preference: "LEFT", activeMs: 1, ...over,
});

describe("toStatisticsRows", () => {
  it("maps sides to systems through teacherOnLeft", () => {
    const a = toStatisticsRows({ rows: [row({ teacherOnLeft: true })], teacherSystemId: "T", criteria: ["meaning"] });
    const b = toStatisticsRows({ rows: [row({ teacherOnLeft: false })], teacherSystemId: "T", criteria: ["meaning"] });
    expect(a.ratings.map((r) => [r.systemId, r.value])).toEqual([["T", 5], ["S", 3]]);
    expect(b.ratings.map((r) => [r.systemId, r.value])).toEqual([["S", 5], ["T", 3]]);
    expect(a.preferences[0]).toMatchObject({ leftSystemId: "T", rightSystemId: "S", choice: "left" });
    expect(b.preferences[0]).toMatchObject({ leftSystemId: "S", rightSystemId: "T", choice: "left" });
  });

  it("leaves out gold and attention pairs, excluded annotators and unknown criteria", () => {
    const out = toStatisticsRows({
      rows: [row({ kind: "GOLD" }), row({ annotatorId: "x" }), row({ scores: { other: { left: 1, right: 1 } } })],
      teacherSystemId: "T", criteria: ["meaning"], excludedAnnotators: new Set(["x"]),
    });
    expect(out.ratings).toEqual([]);
    expect(out.preferences).toHaveLength(1);
  });
});

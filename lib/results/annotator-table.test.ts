import { describe, expect, it } from "vitest";
import { krippendorffAlpha } from "@/lib/stats";
import { annotatorTable } from "./annotator-table";
import type { RatingRowDb } from "./queries";

const ann = (id: string) => ({ annotatorId: id, pseudonym: `p-${id}`, isPaused: false, pausedReason: null });
function rating(
  pairId: string,
  annotatorId: string,
  teacher: number,
  student: number,
  teacherOnLeft = true,
): RatingRowDb {
  return {
    pairId,
    itemId: `i-${pairId}`,
    annotatorId,
    studentSystemId: "S",
    kind: "REGULAR",
    teacherOnLeft,
    preference: "TIE",
    activeMs: 1000,
    scores: { meaning: teacherOnLeft ? { left: teacher, right: student } : { left: student, right: teacher } },
  };
}

describe("annotatorTable", () => {
  it("computes agreement with the others' mean exactly as Krippendorff's interval alpha", () => {
    const values: Record<string, number[][]> = {
      a: [
        [5, 4],
        [4, 2],
        [3, 3],
        [5, 1],
        [2, 2],
      ],
      b: [
        [5, 3],
        [4, 3],
        [2, 3],
        [4, 2],
        [1, 2],
      ],
      c: [
        [4, 4],
        [5, 2],
        [3, 2],
        [5, 2],
        [2, 1],
      ],
    };
    const rows = Object.entries(values).flatMap(([a, vs]) =>
      vs.map(([t, s], p) => rating(`p${p}`, a, t, s, p % 2 === 0)),
    );
    const table = annotatorTable({
      rows,
      criteria: ["meaning"],
      annotators: ["a", "b", "c"].map(ann),
      checkPairs: new Map(),
    });
    // Expected: units (pair, side) with the annotator's value and the mean of the other two.
    const units: number[][] = [];
    for (let p = 0; p < 5; p++)
      for (const side of [0, 1]) units.push([values.a[p][side], (values.b[p][side] + values.c[p][side]) / 2]);
    const expected = krippendorffAlpha({ units, level: "interval" });
    const got = table[0].agreement[0].result;
    expect(got.ok && expected.ok).toBe(true);
    expect(got.ok && got.alpha).toBeCloseTo(expected.ok ? expected.alpha : NaN, 12);
    expect(got.ok && got.units).toBe(10);
  });

  it("counts ratings, median time and gives a reason when nobody else rated the same outputs", () => {
    const rows = [rating("p1", "a", 5, 4), { ...rating("p2", "a", 4, 4), activeMs: 3000 }];
    const [row] = annotatorTable({ rows, criteria: ["meaning"], annotators: [ann("a")], checkPairs: new Map() });
    expect(row.regularRatings).toBe(2);
    expect(row.medianActiveMs).toBe(2000);
    expect(row.agreement[0].result).toEqual({
      ok: false,
      reason: "no output rated by this annotator was also rated by another",
    });
  });
});

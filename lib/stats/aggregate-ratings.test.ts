import { describe, expect, it } from "vitest";
import { aggregateRatings } from "./aggregate-ratings";
import { createInterner } from "./interner";
import type { RatingRow } from "./schemas";

function run(ratings: RatingRow[]) {
  const items = createInterner();
  const systems = createInterner(["t"]);
  const tables = aggregateRatings({ ratings, items, systems, criteria: [{ id: "m", level: "ordinal" }], teacher: 0 });
  const cell = (system: string, item: string) => systems.index.get(system)! * tables.itemCount + items.index.get(item)!;
  return { tables, cell };
}

describe("aggregateRatings", () => {
  const row = (r: Partial<RatingRow>): RatingRow => ({
    itemId: "i1",
    annotatorId: "a",
    systemId: "t",
    criterion: "m",
    value: 3,
    ...r,
  });

  it("sums ratings per system and item and matches teacher ratings to the pair's student", () => {
    const { tables, cell } = run([
      row({ pairId: "p1", systemId: "t", value: 4 }),
      row({ pairId: "p1", systemId: "s1", value: 2 }),
      row({ pairId: "p2", systemId: "t", value: 5, annotatorId: "b" }),
      row({ pairId: "p2", systemId: "s2", value: 3, annotatorId: "b" }),
    ]);
    expect(tables.rawSum[cell("t", "i1")]).toBe(9);
    expect(tables.count[cell("t", "i1")]).toBe(2);
    // Teacher ratings made beside s1 only (4), beside s2 only (5).
    expect(tables.matchedTeacherRaw[cell("s1", "i1")]).toBe(4);
    expect(tables.matchedTeacherRaw[cell("s2", "i1")]).toBe(5);
    expect(tables.matchedTeacherCount[cell("s1", "i1")]).toBe(1);
  });

  it("builds one alpha unit per output in a pair and skips repeated ratings by one annotator", () => {
    const { tables } = run([
      row({ pairId: "p1", annotatorId: "a", value: 4 }),
      row({ pairId: "p1", annotatorId: "b", value: 5 }),
      row({ pairId: "p1", annotatorId: "a", value: 1 }),
      row({ pairId: "p2", annotatorId: "a", value: 2 }),
    ]);
    expect(tables.alphaUnits[0]).toEqual([[4, 5], [2]]);
    expect(tables.alphaUnitItem[0]).toEqual([0, 0]);
    expect(tables.duplicateRatings).toBe(1);
  });

  it("z-scores per annotator and reports constant annotators and unknown criteria", () => {
    const { tables, cell } = run([
      row({ itemId: "i1", annotatorId: "a", value: 1 }),
      row({ itemId: "i2", annotatorId: "a", value: 3 }),
      row({ itemId: "i1", annotatorId: "flat", value: 4 }),
      row({ itemId: "i2", annotatorId: "flat", value: 4 }),
      row({ criterion: "other", value: 100 }),
    ]);
    // a: -1 on i1, +1 on i2; flat: 0 and 0.
    expect(tables.zSum[cell("t", "i1")]).toBe(-1);
    expect(tables.zSum[cell("t", "i2")]).toBe(1);
    expect(tables.constantAnnotators).toEqual([{ annotatorId: "flat", criterion: "m" }]);
    expect(tables.ignoredRatings).toBe(1);
  });
});

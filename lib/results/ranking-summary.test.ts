import { describe, expect, it } from "vitest";
import { summarizeRankings, type ScreenRanks } from "./ranking-summary";

const names = new Map([
  ["T", "teacher"],
  ["S1", "student one"],
  ["S2", "student two"],
]);

describe("summarizeRankings", () => {
  it("gives each system's mean rank and each student's share at or above the teacher, by source", () => {
    const screens: ScreenRanks[] = [];
    for (let i = 0; i < 10; i++) {
      // S1 always best; S2 ties the teacher on even sources and is last on odd ones.
      screens.push({
        itemId: `i${i}`,
        ranks: [
          { systemId: "T", rank: 2 },
          { systemId: "S1", rank: 1 },
          { systemId: "S2", rank: i % 2 ? 3 : 2 },
        ],
      });
    }
    const s = summarizeRankings({ screens, teacherId: "T", names });
    expect(s).toMatchObject({ screens: 10, sources: 10, textsPerScreen: 3 });
    const by = Object.fromEntries(s.systems.map((x) => [x.systemId, x]));
    expect(s.systems[0]).toMatchObject({ systemId: "T", isTeacher: true, atOrAboveTeacher: null });
    expect(by.T.meanRank.estimate).toBe(2);
    expect(by.S1.meanRank.estimate).toBe(1);
    expect(by.S1.atOrAboveTeacher?.estimate).toBe(1);
    expect(by.S2.meanRank.estimate).toBe(2.5);
    expect(by.S2.atOrAboveTeacher?.estimate).toBe(0.5);
    expect(by.S2.meanRank.lower!).toBeLessThan(2.5);
    expect(by.S2.meanRank.upper!).toBeGreaterThan(2.5);
  });
  it("weights sources, not screens: a source rated twice counts once", () => {
    const screens: ScreenRanks[] = [
      {
        itemId: "a",
        ranks: [
          { systemId: "T", rank: 1 },
          { systemId: "S1", rank: 2 },
        ],
      },
      {
        itemId: "a",
        ranks: [
          { systemId: "T", rank: 1 },
          { systemId: "S1", rank: 2 },
        ],
      },
      {
        itemId: "b",
        ranks: [
          { systemId: "T", rank: 2 },
          { systemId: "S1", rank: 1 },
        ],
      },
    ];
    const s = summarizeRankings({ screens, teacherId: "T", names });
    expect(s.systems.find((x) => x.systemId === "S1")?.atOrAboveTeacher?.estimate).toBe(0.5);
    expect(s.systems.map((x) => x.systemId)).toEqual(["T", "S1"]);
  });
});

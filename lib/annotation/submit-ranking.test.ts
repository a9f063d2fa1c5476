import { describe, expect, it } from "vitest";
import { shuffledOrder } from "./claim-item-group";
import { competitionRanks, derivePairRating } from "./submit-ranking";

describe("ranking screens as pair ratings", () => {
  it("reads ranks as an order: ties share the better rank", () => {
    expect(competitionRanks([1, 1, 2])).toEqual([1, 1, 3]);
    expect(competitionRanks([3, 1, 2, 1])).toEqual([4, 1, 3, 1]);
  });
  it("puts the earlier-shown text on the left and prefers the better rank", () => {
    // Shown: student p1, teacher, student p2.
    const order = ["p1", null, "p2"];
    const scores = [{ fluency: 2 }, { fluency: 4 }, { fluency: 5 }];
    const ranks = [2, 2, 1];
    expect(derivePairRating({ order, pairId: "p1", scores, ranks })).toEqual({
      teacherOnLeft: false,
      scores: { fluency: { left: 2, right: 4 } },
      preference: "TIE",
    });
    expect(derivePairRating({ order, pairId: "p2", scores, ranks })).toEqual({
      teacherOnLeft: true,
      scores: { fluency: { left: 4, right: 5 } },
      preference: "RIGHT",
    });
  });
  it("shuffles the teacher's text among the students'", () => {
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const order = shuffledOrder(["a", "b", "c"]);
      expect([...order].sort()).toEqual(["a", "b", "c", null].sort());
      seen.add(order.indexOf(null));
    }
    expect(seen.size).toBe(4);
  });
});

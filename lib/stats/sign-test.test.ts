import { describe, expect, it } from "vitest";
import { referenceValues } from "./testing/reference";
import { signTest, signTestFromDifferences, signTestRaw } from "./sign-test";

describe("sign test", () => {
  it.each(referenceValues.signTest)("wins $wins of $n matches scipy.stats.binomtest", ({ wins, n, p }) => {
    expect(signTestRaw({ wins, losses: n - wins }).p).toBeCloseTo(p, 10);
  });

  it("matches the textbook value: 1 loss in 10 gives p = 22/1024", () => {
    expect(signTestRaw({ wins: 9, losses: 1 }).p).toBeCloseTo(22 / 1024, 14);
  });

  it("reports ties separately and leaves them out of the test", () => {
    const figure = signTestFromDifferences([1, 1, 1, 1, 1, 1, 0, 0, 0, -1]);
    expect(figure).toMatchObject({ ok: true, wins: 6, losses: 1, ties: 3, n: 7 });
    if (figure.ok) expect(figure.p).toBeCloseTo(signTestRaw({ wins: 6, losses: 1 }).p, 14);
  });

  it("refuses a p-value with fewer than five decisive comparisons", () => {
    expect(signTest({ wins: 3, losses: 1, ties: 20 })).toEqual({
      ok: false,
      reason: "too few decisive (non-tied) comparisons: 4 (need at least 5)",
    });
  });
});

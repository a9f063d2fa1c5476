import { describe, expect, it } from "vitest";
import { referenceValues } from "@/lib/stats/testing/reference";
import { correlate, pearson, spearman } from "./correlation";

describe("correlation (against SciPy)", () => {
  it.each([
    ["tied", referenceValues.correlation],
    ["n = 30", referenceValues.correlation30],
  ] as const)("%s sample: r, rho and their p-values", (_, ref) => {
    const p = correlate({ x: ref.x, y: ref.y, method: "pearson" });
    const s = correlate({ x: ref.x, y: ref.y, method: "spearman" });
    if (!p.ok || !s.ok) throw new Error("expected figures");
    expect(p.r).toBeCloseTo(ref.pearson, 10);
    expect(p.p).toBeCloseTo(ref.pearsonP, 9);
    expect(s.r).toBeCloseTo(ref.spearman, 10);
    expect(s.p).toBeCloseTo(ref.spearmanP, 9);
  });

  it("matches hand-computed values", () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 14);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 14);
    // Monotone but not linear: rho = 1, r < 1.
    expect(spearman([1, 2, 3, 4], [1, 4, 9, 100])).toBeCloseTo(1, 14);
    expect(pearson([1, 2, 3, 4], [1, 4, 9, 100])).toBeLessThan(0.9);
  });

  it("drops missing pairs and refuses too few or constant data", () => {
    const figure = correlate({ x: [1, 2, NaN, 4, 5, 6], y: [2, 1, 3, NaN, 5, 7], method: "spearman" });
    expect(figure.ok).toBe(false);
    if (!figure.ok) expect(figure.reason).toBe("too few pairs to correlate: 4 (need at least 5)");
    expect(correlate({ x: [1, 1, 1, 1, 1], y: [1, 2, 3, 4, 5], method: "pearson" }).ok).toBe(false);
  });
});

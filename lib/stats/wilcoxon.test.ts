import { describe, expect, it } from "vitest";
import { referenceValues } from "./testing/reference";
import { averageRanks, signedRankPmf, wilcoxonRaw, wilcoxonSignedRank } from "./wilcoxon";

const { cases, expected } = referenceValues.wilcoxon;

describe("wilcoxon signed-rank (against SciPy 1.10)", () => {
  it.each(Object.keys(cases))("%s: explicit exact and approx modes match scipy", (name) => {
    const approx = wilcoxonRaw(cases[name], "approx");
    expect(approx.statistic).toBeCloseTo(expected[name].approx.statistic, 9);
    expect(approx.p).toBeCloseTo(expected[name].approx.p, 9);
    const exact = expected[name].exact;
    if (exact) {
      const ours = wilcoxonRaw(cases[name], "exact");
      expect(ours.method).toBe("exact");
      expect(ours.p).toBeCloseTo(exact.p, 9);
    }
  });

  it.each(Object.keys(cases).filter((name) => name !== "ties_no_zeros"))("%s: auto matches scipy's default", (name) => {
    const ours = wilcoxonRaw(cases[name]);
    expect(ours.statistic).toBeCloseTo(expected[name].default.statistic, 9);
    expect(ours.p).toBeCloseTo(expected[name].default.p, 9);
  });

  it("uses the tie-corrected normal approximation (not SciPy 1.10's truncated exact table) for ties", () => {
    const ours = wilcoxonRaw(cases.ties_no_zeros);
    expect(ours.method).toBe("approx");
    expect(ours.p).toBeCloseTo(expected.ties_no_zeros.approx.p, 9);
  });

  it("reproduces the textbook exact p for Fisher's data (0.0413)", () => {
    const result = wilcoxonRaw(cases.fisher);
    expect(result).toMatchObject({ statistic: 24, method: "exact", n: 15, zeros: 0 });
    expect(result.p).toBeCloseTo(0.041259765625, 12);
  });

  it("returns p = 1 at the centre of the null distribution", () => {
    expect(wilcoxonRaw([1, -2, -3, 4]).p).toBe(1);
  });

  it("builds the exact null distribution by subset sums", () => {
    // n = 3: subsets of {1,2,3} by sum: 0,1,2,{3,12},13,23,123 -> counts 1,1,1,2,1,1,1
    expect(Array.from(signedRankPmf(3)).map((p) => p * 8)).toEqual([1, 1, 1, 2, 1, 1, 1]);
    const total = signedRankPmf(50).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 12);
  });

  it("ranks ties by their average", () => {
    expect(Array.from(averageRanks([10, 20, 10, 30]))).toEqual([1.5, 3, 1.5, 4]);
  });

  it("reports too few non-zero differences instead of a p-value", () => {
    const figure = wilcoxonSignedRank([0, 0, 1, -1, 2, 0]);
    expect(figure.ok).toBe(false);
    if (!figure.ok) expect(figure.reason).toMatch(/too few/);
    expect(() => wilcoxonRaw([0, 0])).toThrow();
    expect(wilcoxonSignedRank(cases.fisher).ok).toBe(true);
  });
});

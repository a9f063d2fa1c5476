import { describe, expect, it } from "vitest";
import { mean, median, quantile, quantiles, standardDeviation, summarize, variance } from "./descriptive";

describe("descriptive statistics", () => {
  it("computes mean, variance and median by hand", () => {
    const xs = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(mean(xs)).toBe(5);
    expect(variance(xs)).toBeCloseTo(32 / 7, 12);
    expect(standardDeviation(xs)).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(median(xs)).toBe(4.5);
    expect(median([3, 1, 2])).toBe(2);
  });

  it("sorts numerically, not as strings", () => {
    expect(median([10, 9, 100])).toBe(10);
  });

  it("matches numpy's linear (type 7) quantiles", () => {
    // numpy.quantile([1, 2, 3, 4, 10], [0.1, 0.25, 0.9]) -> [1.4, 2.0, 7.6]
    expect(quantiles([10, 1, 3, 2, 4], [0.1, 0.25, 0.9]).map((q) => +q.toFixed(12))).toEqual([1.4, 2, 7.6]);
    expect(quantile([5], 0.3)).toBe(5);
  });

  it("returns NaN for empty input instead of throwing", () => {
    expect(mean([])).toBeNaN();
    expect(median([])).toBeNaN();
    expect(variance([1])).toBeNaN();
    expect(() => quantile([1, 2], 1.5)).toThrow(RangeError);
  });

  it("summarises quartiles", () => {
    const s = summarize([1, 2, 3, 4, 5]);
    expect(s).toMatchObject({ n: 5, mean: 3, median: 3, q1: 2, q3: 4, min: 1, max: 5 });
  });
});

describe("quantiles against numpy", () => {
  it("matches numpy.quantile on the reference data", async () => {
    const { referenceValues } = await import("./testing/reference");
    const { data, p, values } = referenceValues.quantiles;
    quantiles(data, p).forEach((q, i) => expect(q).toBeCloseTo(values[i], 10));
  });
});

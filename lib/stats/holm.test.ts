import { describe, expect, it } from "vitest";
import { holmAdjust } from "./holm";

describe("holmAdjust", () => {
  it("matches a hand-worked example", () => {
    // sorted 0.01, 0.02, 0.03, 0.04 -> 0.04, 0.06, 0.06 (monotone), 0.04 -> 0.06
    const adjusted = holmAdjust([0.04, 0.01, 0.03, 0.02]);
    expect(adjusted.map((p) => +(p as number).toFixed(12))).toEqual([0.06, 0.04, 0.06, 0.06]);
  });

  it("keeps the order monotone and caps at 1", () => {
    const adjusted = holmAdjust([0.5, 0.001, 0.6, 0.9]) as number[];
    expect(adjusted[1]).toBeCloseTo(0.004, 12);
    expect(adjusted[0]).toBe(1);
    expect(adjusted[2]).toBe(1);
    expect(adjusted[3]).toBe(1);
  });

  it("ignores tests that were not run", () => {
    expect(holmAdjust([null, 0.01, null, 0.04])).toEqual([null, 0.02, null, 0.04]);
    expect(holmAdjust([])).toEqual([]);
  });

  it("rejects values that are not probabilities", () => {
    expect(() => holmAdjust([1.2])).toThrow(RangeError);
  });
});

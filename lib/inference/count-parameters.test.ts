import { describe, expect, it } from "vitest";
import { sameWeight } from "./count-parameters";

// Dequantized statistics of 8-bit weights, as countParameters compares them
const stats = (n: number, min: number, max: number) => ({ n, sum: 0.01 * n, squares: 0.0025 * n, min, max });

describe("sameWeight (one tied weight quantized twice)", () => {
  it("matches a table and its transpose whose dequantized values agree", () => {
    const table = { dims: [32128, 512], stats: stats(32128 * 512, -0.21, 0.2), step: 0.0016 };
    const head = { dims: [512, 32128], stats: stats(32128 * 512, -0.2105, 0.2003), step: 0.0016 };
    expect(sameWeight(table, head)).toBe(true);
  });

  it("never merges two square weights of one layer type, however alike their statistics", () => {
    // freshly initialised q and k projections: same shape, near-equal statistics, different weights
    const q = { dims: [512, 512], stats: stats(512 * 512, -0.21, 0.2), step: 0.0016 };
    const k = { dims: [512, 512], stats: stats(512 * 512, -0.2101, 0.2001), step: 0.0016 };
    expect(sameWeight(q, k)).toBe(false);
    // nor two same-shaped non-square ones (feed-forward wi of two layers)
    const wi1 = { dims: [512, 2048], stats: stats(512 * 2048, -0.21, 0.2), step: 0.0016 };
    const wi2 = { dims: [512, 2048], stats: stats(512 * 2048, -0.2101, 0.2001), step: 0.0016 };
    expect(sameWeight(wi1, wi2)).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { pool, poolingModes } from "./sentence-encoder";

describe("sentence-transformers pooling config", () => {
  it("reads sentence-transformers 6's pooling_mode (name or list, in order) and the older booleans", () => {
    expect(poolingModes({ pooling_mode: "cls" })).toEqual(["cls"]);
    expect(poolingModes({ pooling_mode: ["mean", "max"] })).toEqual(["mean", "max"]);
    expect(poolingModes({ pooling_mode_mean_tokens: true, pooling_mode_cls_token: true })).toEqual(["cls", "mean"]);
    expect(poolingModes({ pooling_mode_mean_sqrt_len_tokens: true })).toEqual(["mean_sqrt_len"]);
    expect(poolingModes({})).toEqual(["mean"]);
    expect(() => poolingModes({ pooling_mode: "lasttoken" })).toThrow(/lasttoken is not supported/);
    expect(() => poolingModes({ pooling_mode_weightedmean_tokens: true })).toThrow(/weightedmean/);
  });

  it("pools over the real tokens only (padding ignored), concatenates modes and normalizes", () => {
    // 3 positions x 2 dims; the third is padding
    const hidden = Float32Array.from([1, 2, 3, 6, 100, 100]);
    expect(Array.from(pool(hidden, 2, 2, ["mean"], false))).toEqual([2, 4]);
    expect(Array.from(pool(hidden, 2, 2, ["cls", "max"], false))).toEqual([1, 2, 3, 6]);
    expect(Array.from(pool(hidden, 2, 2, ["mean_sqrt_len"], false)).map((x) => x.toFixed(4))).toEqual(
      [4 / Math.SQRT2, 8 / Math.SQRT2].map((x) => x.toFixed(4)),
    );
    const [a, b] = pool(hidden, 2, 2, ["mean"], true);
    expect(a).toBeCloseTo(2 / Math.hypot(2, 4), 6);
    expect(b).toBeCloseTo(4 / Math.hypot(2, 4), 6);
  });
});

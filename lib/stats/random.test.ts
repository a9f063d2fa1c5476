import { describe, expect, it } from "vitest";
import { createRng, deriveSeed } from "./random";

describe("createRng", () => {
  it("repeats the same stream for the same seed and differs for another", () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const seqA = Array.from({ length: 50 }, () => a.next());
    const seqB = Array.from({ length: 50 }, () => b.next());
    const seqC = Array.from({ length: 50 }, () => c.next());
    expect(seqA).toEqual(seqB);
    expect(seqA).not.toEqual(seqC);
  });

  it("fills integer arrays with the same stream as repeated nextInt", () => {
    const a = createRng(99);
    const b = createRng(99);
    const filled = new Uint32Array(1000);
    a.fillInts(filled, 37);
    const one = Array.from({ length: 1000 }, () => b.nextInt(37));
    expect(Array.from(filled)).toEqual(one);
    expect(a.next()).toBe(b.next());
  });

  it("draws integers uniformly enough in [0, n)", () => {
    const rng = createRng(7);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) counts[rng.nextInt(10)]++;
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(500);
    expect(Math.min(...counts)).toBeGreaterThan(0);
  });

  it("produces standard normals with mean near 0 and variance near 1", () => {
    const rng = createRng(3);
    let sum = 0;
    let sumSq = 0;
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      const z = rng.nextNormal();
      sum += z;
      sumSq += z * z;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.03);
    expect(Math.abs(sumSq / n - 1)).toBeLessThan(0.03);
  });

  it("derives distinct seeds per label", () => {
    expect(deriveSeed(1, "a")).not.toBe(deriveSeed(1, "b"));
    expect(deriveSeed(1, "a")).toBe(deriveSeed(1, "a"));
  });
});

import { describe, expect, it } from "vitest";
import {
  bootstrapCI,
  bootstrapMeanCI,
  bootstrapReplicates,
  drawRaw,
  drawResamples,
  pairedBootstrapCI,
  percentileInterval,
} from "./bootstrap";
import { mean } from "./descriptive";
import { createRng } from "./random";

function ok<T extends { ok: boolean }>(figure: T): Extract<T, { ok: true }> {
  if (!figure.ok) throw new Error(`expected a figure, got ${JSON.stringify(figure)}`);
  return figure as Extract<T, { ok: true }>;
}

describe("bootstrap", () => {
  const data = [3.1, 4.2, 2.9, 5.5, 4.8, 3.3, 4.0, 4.4, 3.9, 5.1];

  it("is reproducible: the same seed gives an identical interval", () => {
    const a = bootstrapMeanCI(data, { seed: 11, samples: 500 });
    const b = bootstrapMeanCI(data, { seed: 11, samples: 500 });
    const c = bootstrapMeanCI(data, { seed: 12, samples: 500 });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it("brackets the estimate and reports its settings", () => {
    const ci = ok(bootstrapMeanCI(data, { seed: 1 }));
    expect(ci.estimate).toBeCloseTo(mean(data), 12);
    expect(ci.lower).toBeLessThan(ci.estimate);
    expect(ci.upper).toBeGreaterThan(ci.estimate);
    expect(ci).toMatchObject({ level: 0.95, samples: 2000, failures: 0 });
  });

  it("narrows as the level drops", () => {
    const wide = ok(bootstrapMeanCI(data, { seed: 1, level: 0.99 }));
    const narrow = ok(bootstrapMeanCI(data, { seed: 1, level: 0.8 }));
    expect(wide.upper - wide.lower).toBeGreaterThan(narrow.upper - narrow.lower);
  });

  it("covers the true mean in most of 200 simulated datasets", () => {
    const rng = createRng(2024);
    let covered = 0;
    for (let rep = 0; rep < 200; rep++) {
      const sample = Array.from({ length: 40 }, () => 3 + rng.nextNormal());
      const ci = ok(bootstrapMeanCI(sample, { seed: rep, samples: 1000 }));
      if (ci.lower <= 3 && 3 <= ci.upper) covered++;
    }
    // Nominal 95% gives about 190; the percentile method undercovers a little at n = 40.
    expect(covered).toBeGreaterThanOrEqual(176);
    expect(covered).toBeLessThanOrEqual(199);
  });

  it("resamples pairs together (a constant difference has a zero-width interval)", () => {
    const x = [1, 2, 3, 4, 5, 6];
    const y = x.map((v) => v + 0.5);
    const ci = ok(pairedBootstrapCI({ x, y, statistic: (a, b) => mean(b) - mean(a), seed: 3 }));
    expect(ci.lower).toBeCloseTo(0.5, 12);
    expect(ci.upper).toBeCloseTo(0.5, 12);
    // Resampling x and y independently would not give zero width.
    const unpaired = ok(bootstrapMeanCI(y, { seed: 3 }));
    expect(unpaired.upper - unpaired.lower).toBeGreaterThan(0.5);
  });

  it("computes several statistics from one set of draws", () => {
    const values = Float64Array.from(data);
    const set = bootstrapReplicates({
      unitCount: values.length,
      statisticCount: 2,
      samples: 100,
      seed: 5,
      statistic: (idx, out) => {
        let s = 0;
        for (const i of idx) s += values[i];
        out[0] = s / idx.length;
        out[1] = 2 * out[0];
      },
    });
    for (let b = 0; b < 100; b++) expect(set.replicates[1][b]).toBeCloseTo(2 * set.replicates[0][b], 12);
  });

  it("refuses an interval when the statistic is mostly undefined", () => {
    const figure = bootstrapCI({ unitCount: 5, statistic: (idx) => (idx[0] === 0 ? 1 : NaN), seed: 1, samples: 200 });
    expect(figure.ok).toBe(false);
    expect(percentileInterval(NaN, new Float64Array([1, 2])).ok).toBe(false);
    expect(bootstrapCI({ unitCount: 0, statistic: () => 1 }).ok).toBe(false);
  });
});

describe("shared resamples", () => {
  it("reuse the same draws, so figures on the same units get identical replicates", async () => {
    const { drawResamples } = await import("./bootstrap");
    const values = [1, 5, 2, 8, 3, 9, 4];
    const resamples = drawResamples({ unitCount: values.length, samples: 400, seed: 8 });
    const a = bootstrapMeanCI(values, { resamples });
    const b = bootstrapMeanCI(values, { resamples, seed: 999, samples: 10 });
    expect(b).toEqual(a);
    expect(ok(a).samples).toBe(400);
    expect(() => bootstrapMeanCI([1, 2], { resamples })).toThrow(RangeError);
  });

  it("skips units without a value (NaN) in the mean", () => {
    const ci = ok(bootstrapMeanCI([2, NaN, 4, NaN, 6], { seed: 2, samples: 300 }));
    expect(ci.estimate).toBe(4);
    expect(ci.lower).toBeGreaterThanOrEqual(2);
    expect(ci.upper).toBeLessThanOrEqual(6);
  });
});

describe("sumRows", () => {
  it("sums the drawn rows of an interleaved table for every width", async () => {
    const { sumRows } = await import("./bootstrap");
    // Every unrolled width, and 5 for the generic loop.
    for (const width of [1, 2, 3, 4, 5, 6, 8]) {
      const table = Float64Array.from({ length: 5 * width }, (_, i) => i + 0.5);
      const indices = Uint32Array.from([4, 0, 4, 2]);
      const sums = new Float64Array(width);
      sumRows(indices, table, width, sums);
      const expected = Array.from({ length: width }, (_, f) =>
        [4, 0, 4, 2].reduce((s, u) => s + table[u * width + f], 0),
      );
      expect(Array.from(sums)).toEqual(expected);
    }
  });
});

describe("stored versus fresh draws", () => {
  it("give identical intervals for the same seed and unit count", async () => {
    const { drawResamples } = await import("./bootstrap");
    const values = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3];
    const fresh = bootstrapMeanCI(values, { seed: 77, samples: 250 });
    const stored = bootstrapMeanCI(values, {
      resamples: drawResamples({ unitCount: values.length, seed: 77, samples: 250 }),
    });
    expect(stored).toEqual(fresh);
  });
});

describe("integer lanes", () => {
  it("pack small integer sums into one double and unpack them exactly", async () => {
    const { integerLanes, unpackLanes, widestIntegerLanes } = await import("./bootstrap");
    const lanes = integerLanes(3, 1000)!;
    const rows = [
      [3, 0, 7],
      [999, 1, 0],
      [0, 998, 993],
    ];
    const packed = rows.reduce((sum, row) => sum + row.reduce((s, v, l) => s + v * lanes.scale[l], 0), 0);
    const out = new Float64Array(3);
    unpackLanes(packed, lanes, out);
    expect(Array.from(out)).toEqual([1002, 999, 1000]);
    // 10 bits per lane for sums up to 1000: five lanes fit in 52 bits, six do not.
    expect(integerLanes(6, 1000)).toBeNull();
    expect(widestIntegerLanes(1000)?.scale).toHaveLength(5);
    expect(widestIntegerLanes(2 ** 30, 2)).toBeNull();
  });
});

describe("drawResamples from raw draws made before the unit count is known", () => {
  it("gives the same draws as drawing with the unit count, for any count the raw draws cover", () => {
    for (const unitCount of [1, 7, 50]) {
      const raw = drawRaw({ maxUnits: 50, samples: 40, seed: 9 });
      const fresh = drawResamples({ unitCount, samples: 40, seed: 9 });
      const fromRaw = drawResamples({ unitCount, samples: 40, seed: 9, raw });
      expect(fromRaw.draws).toEqual(fresh.draws);
      // Mapped in place: afterwards they serve this unit count again, and no other.
      expect(raw.maxUnits).toBe(0);
      expect(drawResamples({ unitCount, samples: 40, seed: 9, raw })).toBe(fromRaw);
      expect(drawResamples({ unitCount: unitCount + 1, samples: 40, seed: 9, raw }).draws).toEqual(
        drawResamples({ unitCount: unitCount + 1, samples: 40, seed: 9 }).draws,
      );
      expect(Math.max(...fromRaw.draws)).toBeLessThan(unitCount);
    }
  });

  it("uses the raw draws when they match, and draws afresh when seed, B or coverage differ", () => {
    // Raw draws of all zeros show whether they were used.
    const zeros = () => ({ seed: 9, samples: 40, maxUnits: 50, raw: new Uint32Array(40 * 50) });
    const used = zeros();
    expect(drawResamples({ unitCount: 30, samples: 40, seed: 9, raw: used }).draws.every((d) => d === 0)).toBe(true);
    const fresh = drawResamples({ unitCount: 30, samples: 40, seed: 9 }).draws;
    expect(fresh.some((d) => d !== 0)).toBe(true);
    for (const raw of [
      { ...zeros(), seed: 8 },
      { ...zeros(), samples: 41 },
      { ...zeros(), maxUnits: 29 },
    ])
      expect(drawResamples({ unitCount: 30, samples: 40, seed: 9, raw }).draws).toEqual(fresh);
    // Spent on 30 units: fewer units, which the raw draws covered, are drawn afresh.
    expect(drawResamples({ unitCount: 29, samples: 40, seed: 9, raw: used }).draws).toEqual(
      drawResamples({ unitCount: 29, samples: 40, seed: 9 }).draws,
    );
  });
});

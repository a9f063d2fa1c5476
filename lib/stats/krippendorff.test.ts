import { describe, expect, it } from "vitest";
import { DEFAULT_BOOTSTRAP_SAMPLES, drawResamples, percentileInterval } from "./bootstrap";
import { krippendorffAlpha, type MeasurementLevel } from "./krippendorff";
import { referenceValues } from "./testing/reference";

// The reference file keeps the paper's layout (coders x units); the API takes units x coders.
function toUnits(coderRows: (number | null)[][]): (number | null)[][] {
  return coderRows[0].map((_, unit) => coderRows.map((row) => row[unit]));
}

function alphaOf(units: (number | null)[][], level: MeasurementLevel): number {
  const figure = krippendorffAlpha({ units, level });
  if (!figure.ok) throw new Error(figure.reason);
  return figure.alpha;
}

describe("Krippendorff's alpha", () => {
  const paper = referenceValues.krippendorff.paper2011;
  const units = toUnits(paper.coderRows);

  it.each(["nominal", "ordinal", "interval", "ratio"] as const)(
    "reproduces Krippendorff (2011)'s published %s value on the 4 x 12 example",
    (level) => {
      expect(alphaOf(units, level)).toBeCloseTo(paper.published[level], 3);
      expect(alphaOf(units, level)).toBeCloseTo(paper.alpha[level], 10);
    },
  );

  it("counts pairable values as the paper does (n = 40; unit 12 has one value)", () => {
    const figure = krippendorffAlpha({ units, level: "nominal" });
    expect(figure).toMatchObject({ ok: true, pairableUnits: 11, pairableValues: paper.pairableValues });
  });

  it.each(["nominal", "ordinal", "interval"] as const)(
    "matches the numpy implementation on Likert data (%s)",
    (level) => {
      const likert = referenceValues.krippendorff.likert;
      expect(alphaOf(toUnits(likert.coderRows), level)).toBeCloseTo(likert.alpha[level], 10);
    },
  );

  it("is 1 for perfect agreement and reports no variation as undefined", () => {
    expect(
      alphaOf(
        [
          [1, 1],
          [2, 2],
          [3, 3, null],
        ],
        "ordinal",
      ),
    ).toBeCloseTo(1, 12);
    const flat = krippendorffAlpha({
      units: [
        [2, 2],
        [2, 2],
      ],
      level: "interval",
    });
    expect(flat).toEqual({ ok: false, reason: "the ratings show no variation, so alpha is undefined" });
  });

  it("needs at least two units with two or more coders", () => {
    const figure = krippendorffAlpha({
      units: [
        [1, 2],
        [3, null],
        [null, 4],
      ],
      level: "nominal",
    });
    expect(figure.ok).toBe(false);
    if (!figure.ok) expect(figure.reason).toMatch(/too few units rated by two or more coders/);
  });

  it("gives a reproducible bootstrap CI around the estimate", () => {
    const a = krippendorffAlpha({ units, level: "ordinal", bootstrap: { seed: 9, samples: 1000 } });
    const b = krippendorffAlpha({ units, level: "ordinal", bootstrap: { seed: 9, samples: 1000 } });
    expect(a).toEqual(b);
    if (!a.ok || !a.ci) throw new Error("expected a CI");
    expect(a.ci.lower).toBeLessThanOrEqual(a.alpha);
    expect(a.ci.upper).toBeGreaterThan(a.ci.lower);
    expect(a.ci.upper).toBeLessThanOrEqual(1);
  });

  it("draws the bootstrap's default number of replicates when samples is left out", () => {
    const figure = krippendorffAlpha({ units, level: "ordinal", bootstrap: { seed: 9 } });
    if (!figure.ok || !figure.ci) throw new Error("expected a CI");
    expect(figure.ci.samples).toBe(DEFAULT_BOOTSTRAP_SAMPLES);
  });
});

describe("Krippendorff's alpha with clustered resampling", () => {
  it("gives the same estimate and resamples whole clusters", () => {
    const units = [
      [1, 1],
      [2, 2],
      [1, 2],
      [3, 3],
      [2, 3],
      [3, 2],
      [1, null],
    ];
    const clusterOf = [0, 0, 1, 1, 2, 2, 2];
    const plain = krippendorffAlpha({ units, level: "interval" });
    const clustered = krippendorffAlpha({
      units,
      level: "interval",
      clusters: { clusterOf, count: 3 },
      bootstrap: { seed: 1, samples: 500 },
    });
    if (!plain.ok || !clustered.ok || !clustered.ci) throw new Error("expected figures");
    expect(clustered.alpha).toBeCloseTo(plain.alpha, 12);
    expect(clustered.ci.lower).toBeLessThanOrEqual(clustered.alpha);
  });

  it("equals unit resampling when every unit is its own cluster", () => {
    const units = [
      [1, 1, 2],
      [2, 2],
      [1, 2],
      [3, 3],
      [2, 3, 3],
      [3, 2],
      [1, 1],
    ];
    const bootstrap = { seed: 3, samples: 300 };
    const plain = krippendorffAlpha({ units, level: "ordinal", bootstrap });
    const clustered = krippendorffAlpha({
      units,
      level: "ordinal",
      bootstrap,
      clusters: { clusterOf: units.map((_, i) => i), count: units.length },
    });
    expect(clustered).toEqual(plain);
    // Pairing units into clusters changes the resampling, hence the interval.
    const paired = krippendorffAlpha({
      units,
      level: "ordinal",
      bootstrap,
      clusters: { clusterOf: [0, 0, 1, 1, 2, 2, 3], count: 4 },
    });
    expect(paired).not.toEqual(plain);
  });
});

describe("Krippendorff's alpha with uneven clusters", () => {
  it("resamples a 20-unit cluster beside small ones (the unpadded path) reproducibly", () => {
    const units = Array.from({ length: 30 }, (_, u) => [1 + (u % 3), 1 + ((u + (u % 2)) % 3)]);
    const clusterOf = units.map((_, u) => (u < 20 ? 0 : u - 19));
    const args = {
      units,
      level: "ordinal" as const,
      bootstrap: { seed: 2, samples: 200 },
      clusters: { clusterOf, count: 11 },
    };
    const a = krippendorffAlpha(args);
    expect(a).toEqual(krippendorffAlpha(args));
    const plain = krippendorffAlpha({ units, level: "ordinal" });
    if (!a.ok || !plain.ok) throw new Error("expected figures");
    expect(a.alpha).toBeCloseTo(plain.alpha, 12);
  });
});

describe("Krippendorff's alpha with many coders per unit", () => {
  it("handles units too long for numeric pattern keys", () => {
    // 40 coders on a 5-point scale: 40 * log2(6) > 52 bits, so patterns are keyed by strings.
    const agree = [1, 2, 3, 4, 5].map((v) => Array.from({ length: 40 }, () => v));
    expect(krippendorffAlpha({ units: agree, level: "ordinal" })).toMatchObject({ ok: true, alpha: 1 });
    const mixed = [...agree, Array.from({ length: 40 }, (_, i) => 1 + (i % 5))];
    const figure = krippendorffAlpha({ units: mixed, level: "nominal" });
    if (!figure.ok) throw new Error(figure.reason);
    // By hand: agreeing units give o_vv = 40 each; the mixed unit (8 of each value, m = 40)
    // gives 8 * 8 / 39 per off-diagonal cell, so n_c = 48, n = 240 and
    // alpha = 1 - (n - 1) * (20 * 64 / 39) / (20 * 48^2).
    expect(figure.alpha).toBeCloseTo(1 - (239 * ((20 * 64) / 39)) / (20 * 48 * 48), 12);
    expect(figure.pairableValues).toBe(240);
  });
});

describe("Krippendorff's alpha bootstrap on shared item draws", () => {
  // 20 items, each with one to three rated outputs (units); outputs of an item resample together.
  const units = Array.from({ length: 45 }, (_, u) => [
    1 + (u % 4),
    1 + ((u * 3 + (u % 5)) % 4),
    u % 4 === 0 ? 1 + ((u + 1) % 4) : null,
  ]);
  const clusterOf = units.map((_, u) => (u < 30 ? Math.floor(u / 3) : 10 + ((u - 30) % 10)));
  const clusters = { clusterOf, count: 20 };
  // Not a multiple of the lanes per pass, so the last pass is a partial one.
  const samples = 203;

  it("gives the interval of recomputing alpha on every resampled set of items", () => {
    const resamples = drawResamples({ unitCount: clusters.count, samples, seed: 12 });
    const figure = krippendorffAlpha({ units, level: "interval", clusters, bootstrap: { resamples } });
    if (!figure.ok || !figure.ci) throw new Error("expected a CI");
    const replicates = new Float64Array(samples);
    for (let b = 0; b < samples; b++) {
      const drawn = resamples.draws.subarray(b * clusters.count, (b + 1) * clusters.count);
      const resampled = Array.from(drawn).flatMap((item) => units.filter((_, u) => clusterOf[u] === item));
      const alpha = krippendorffAlpha({ units: resampled, level: "interval" });
      replicates[b] = alpha.ok ? alpha.alpha : NaN;
    }
    const expected = percentileInterval(figure.alpha, replicates, { resamples });
    if (!expected.ok) throw new Error(expected.reason);
    expect(figure.ci.lower).toBeCloseTo(expected.lower, 12);
    expect(figure.ci.upper).toBeCloseTo(expected.upper, 12);
  });

  it("reuses one figure's packed draw counts in the next, with the figures of fresh draws", () => {
    const resamples = drawResamples({ unitCount: clusters.count, samples, seed: 4 });
    const fresh = { seed: 4, samples };
    // The second and third figures on these draws read the counts the first one stored.
    for (const level of ["ordinal", "interval", "nominal"] as const) {
      expect(krippendorffAlpha({ units, level, clusters, bootstrap: { resamples } })).toEqual(
        krippendorffAlpha({ units, level, clusters, bootstrap: fresh }),
      );
    }
  });

  it("refuses shared draws over another number of items", () => {
    const resamples = drawResamples({ unitCount: clusters.count - 1, samples: 10, seed: 4 });
    expect(() => krippendorffAlpha({ units, level: "interval", clusters, bootstrap: { resamples } })).toThrow(
      RangeError,
    );
  });
});

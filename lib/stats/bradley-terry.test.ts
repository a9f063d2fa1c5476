import { describe, expect, it } from "vitest";
import { drawResamples, percentileInterval } from "./bootstrap";
import { bradleyTerry, fitFromWins, isStronglyConnected, type PairwiseComparison } from "./bradley-terry";
import { referenceValues } from "./testing/reference";

const ref = referenceValues.bradleyTerry;

/** Expands the reference counts into individual comparisons, spread over items. */
function referenceComparisons(): PairwiseComparison[] {
  const comparisons: PairwiseComparison[] = [];
  let item = 0;
  for (const [winner, loser, count] of ref.wins) {
    for (let c = 0; c < count; c++) comparisons.push({ unitId: `i${item++ % 97}`, a: winner, b: loser, scoreA: 1 });
  }
  for (const [a, b, count] of ref.ties) {
    for (let c = 0; c < count; c++) comparisons.push({ unitId: `i${item++ % 97}`, a, b, scoreA: 0.5 });
  }
  return comparisons;
}

describe("Bradley-Terry", () => {
  it("matches an independent scipy.optimize maximum-likelihood fit (ties as half-wins)", () => {
    const figure = bradleyTerry({ systemIds: ref.systems, comparisons: referenceComparisons() });
    if (!figure.ok) throw new Error(figure.reason);
    figure.systems.forEach((system, i) => expect(system.logStrength).toBeCloseTo(ref.logStrengths[i], 6));
    expect(figure.systems.reduce((sum, s) => sum + s.logStrength, 0)).toBeCloseTo(0, 12);
  });

  it("recovers a two-system odds ratio in closed form: 30 wins vs 10 gives log(3) apart", () => {
    const wins = new Float64Array([0, 30, 10, 0]);
    const beta = fitFromWins(wins, 2);
    expect(beta[0] - beta[1]).toBeCloseTo(Math.log(3), 9);
  });

  it("refuses a disconnected comparison graph", () => {
    // System 2 never loses: its strength would be infinite.
    const comparisons: PairwiseComparison[] = [
      { unitId: "1", a: 0, b: 1, scoreA: 1 },
      { unitId: "2", a: 1, b: 0, scoreA: 1 },
      { unitId: "3", a: 2, b: 0, scoreA: 1 },
      { unitId: "4", a: 2, b: 1, scoreA: 1 },
    ];
    const figure = bradleyTerry({ systemIds: ["a", "b", "c"], comparisons });
    expect(figure.ok).toBe(false);
    if (!figure.ok) expect(figure.reason).toMatch(/not connected/);
    // A tie counts both ways and reconnects it.
    comparisons.push({ unitId: "5", a: 2, b: 0, scoreA: 0.5 });
    expect(bradleyTerry({ systemIds: ["a", "b", "c"], comparisons }).ok).toBe(true);
  });

  it("checks strong connectivity", () => {
    expect(isStronglyConnected(new Float64Array([0, 1, 1, 0]), 2)).toBe(true);
    expect(isStronglyConnected(new Float64Array([0, 1, 0, 0]), 2)).toBe(false);
  });

  it("bootstraps over items reproducibly, with intervals around the estimates", () => {
    const args = {
      systemIds: ref.systems,
      comparisons: referenceComparisons(),
      referenceSystemId: "teacher",
      bootstrap: { seed: 4, samples: 300 },
    };
    const a = bradleyTerry(args);
    expect(a).toEqual(bradleyTerry(args));
    if (!a.ok) throw new Error(a.reason);
    for (const s of a.systems) {
      expect(s.lower).toBeLessThan(s.logStrength);
      expect(s.upper).toBeGreaterThan(s.logStrength);
    }
    const teacher = a.versusReference!.find((v) => v.systemId === "teacher")!;
    expect(teacher.probability).toBeCloseTo(0.5, 12);
    const s2 = a.versusReference!.find((v) => v.systemId === "s2")!;
    expect(s2.probability).toBeCloseTo(1 / (1 + Math.exp(ref.logStrengths[0] - ref.logStrengths[2])), 6);
  });
});

describe("Bradley-Terry bootstrap with lane-packed replicates", () => {
  it("gives exactly the intervals of fitting every resampled study alone", () => {
    const comparisons = referenceComparisons();
    const unitIds = Array.from({ length: 97 }, (_, i) => `i${i}`);
    const samples = 151;
    const resamples = drawResamples({ unitCount: unitIds.length, samples, seed: 6 });
    const figure = bradleyTerry({
      systemIds: ref.systems,
      comparisons,
      unitIds,
      referenceSystemId: "teacher",
      bootstrap: { resamples },
    });
    if (!figure.ok) throw new Error(figure.reason);

    // Replicate by replicate: the win matrix of the drawn items' comparisons, then the fit.
    const k = ref.systems.length;
    const byUnit = unitIds.map((id) => comparisons.filter((c) => c.unitId === id));
    const logStrengths = ref.systems.map(() => new Float64Array(samples));
    for (let b = 0; b < samples; b++) {
      const wins = new Float64Array(k * k);
      for (const u of resamples.draws.subarray(b * unitIds.length, (b + 1) * unitIds.length)) {
        for (const c of byUnit[u]) {
          wins[c.a * k + c.b] += c.scoreA;
          wins[c.b * k + c.a] += 1 - c.scoreA;
        }
      }
      fitFromWins(wins, k).forEach((beta, s) => (logStrengths[s][b] = beta));
    }
    figure.systems.forEach((system, s) => {
      const expected = percentileInterval(system.logStrength, logStrengths[s], { resamples });
      if (!expected.ok) throw new Error(expected.reason);
      expect(system.lower).toBe(expected.lower);
      expect(system.upper).toBe(expected.upper);
    });
    expect(figure.bootstrapFailures).toBe(0);
  });
});

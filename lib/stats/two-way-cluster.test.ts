import { describe, expect, it } from "vitest";
import { bootstrapMeanCI } from "./bootstrap";
import { computeStudyStatistics } from "./compute-study-statistics";
import { studentTQuantile } from "./distributions";
import { nonInferiorityFamily } from "./non-inferiority";
import { crossedStudy } from "./testing/crossed-study";
import { referenceValues, twoWayCase } from "./testing/reference";
import { PAIRED_STATISTICS, type ClusteredObservations, twoWayInterval, twoWayVariance } from "./two-way-cluster";

describe("two-way (items x annotators) cluster intervals", () => {
  for (const name of Object.keys(referenceValues.twoWay.cases)) {
    for (const kind of ["difference", "relative", "mean"] as const) {
      it(`equal the Python reference: ${name}, ${kind}`, () => {
        const expected = referenceValues.twoWay.expected[name][kind];
        const { statistic, gradient } = PAIRED_STATISTICS[kind];
        const observations = twoWayCase(name);
        // The mean is of the first channel (the student) alone.
        if (kind === "mean") observations.channels = observations.channels.slice(0, 1);
        const figure = twoWayInterval(observations, statistic, gradient, 0.95);
        if (!figure.ok) throw new Error(figure.reason);
        expect(figure.df).toBe(expected.df);
        expect(figure.estimate).toBeCloseTo(expected.estimate, 10);
        expect(figure.standardError).toBeCloseTo(expected.standardError, 10);
        expect(figure.lower).toBeCloseTo(expected.lower, 8);
        expect(figure.upper).toBeCloseTo(expected.upper, 8);
      });
    }
  }

  it("are what the results bundle reports for a student's comparison and means", () => {
    const rows = referenceValues.twoWay.cases.balanced;
    const ratings = rows.flatMap(([item, annotator, student, teacher]) => {
      const common = { itemId: `i${item}`, pairId: `p${item}`, annotatorId: `a${annotator}`, criterion: "meaning" };
      return [
        { ...common, systemId: "teacher", value: teacher },
        { ...common, systemId: "student", value: student },
      ];
    });
    const result = computeStudyStatistics({ teacherSystemId: "teacher", ratings, options: { bootstrapSamples: 100 } });
    const cmp = result.comparisons[0].result;
    if (!cmp.ok || !cmp.relativeScore.ok || !cmp.meanDifference.ok) throw new Error("expected figures");
    const expected = referenceValues.twoWay.expected.balanced;
    expect(cmp.relativeScore.lower).toBeCloseTo(expected.relative.lower, 8);
    expect(cmp.relativeScore.upper).toBeCloseTo(expected.relative.upper, 8);
    expect(cmp.meanDifference.lower).toBeCloseTo(expected.difference.lower, 8);
    expect(cmp.relativeScore.method).toBe("two-way-cluster");
    const student = result.descriptives.find((d) => d.systemId === "student")!.result;
    if (!student.ok || !student.meanCI.ok) throw new Error("expected a mean");
    expect(student.meanCI.lower).toBeCloseTo(expected.mean.lower, 8);
  });

  it("match scipy's t quantiles", () => {
    // scipy.stats.t.ppf(0.975, df) for df = 1, 5, 30.
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.706204736174698, 8);
    expect(studentTQuantile(0.975, 5)).toBeCloseTo(2.5705818356363146, 9);
    expect(studentTQuantile(0.975, 30)).toBeCloseTo(2.042272456301238, 9);
    expect(studentTQuantile(0.025, 5)).toBeCloseTo(-2.5705818356363146, 9);
  });
});

/** Simulated studies, seeded: 40 items, 12 annotators, 3 per item, annotators leaning on the difference. */
function simulate(seed: number): ClusteredObservations {
  const { ratings } = crossedStudy({
    items: 40,
    annotatorPool: 12,
    annotatorsPerItem: 3,
    teacherMean: 4,
    difference: -0.2,
    itemSd: 0.4,
    annotatorSd: 0.5,
    annotatorDifferenceSd: 0.3,
    residualSd: 0.7,
    seed: 5000 + seed,
  });
  const item: number[] = [];
  const annotator: number[] = [];
  const student: number[] = [];
  const teacher: number[] = [];
  for (let r = 0; r < ratings.length; r += 2) {
    item.push(Number(ratings[r].itemId.slice("item-".length)));
    annotator.push(Number(ratings[r].annotatorId.slice("annotator-".length)));
    teacher.push(ratings[r].value);
    student.push(ratings[r + 1].value);
  }
  return { item, annotator, channels: [student, teacher] };
}

describe("coverage on simulated studies with a known truth (seeded)", () => {
  const STUDIES = 1000;
  // Truth: student mean 3.8, teacher 4.0: a difference of -0.2 and a relative score of exactly 95%.
  const tally = { difference: 0, relative: 0, itemOnly: 0, nonInferior: 0, inferior: 0 };
  for (let seed = 0; seed < STUDIES; seed++) {
    const obs = simulate(seed);
    const { difference, relative } = PAIRED_STATISTICS;
    const d = twoWayInterval(obs, difference.statistic, difference.gradient, 0.95);
    const r = twoWayInterval(obs, relative.statistic, relative.gradient, 0.95);
    if (!d.ok || !r.ok) throw new Error("expected intervals");
    if (d.lower <= -0.2 && -0.2 <= d.upper) tally.difference++;
    if (r.lower <= 95 && 95 <= r.upper) tally.relative++;
    // Item-only: the percentile bootstrap over item means the bundle used before.
    const perItem = new Map<number, number[]>();
    for (let k = 0; k < obs.item.length; k++) {
      const i = obs.item[k];
      perItem.set(i, [...(perItem.get(i) ?? []), obs.channels[0][k] - obs.channels[1][k]]);
    }
    const means = [...perItem.values()].map((v) => v.reduce((a, b) => a + b, 0) / v.length);
    const old = bootstrapMeanCI(means, { samples: 400, seed });
    if (old.ok && old.lower <= -0.2 && -0.2 <= old.upper) tally.itemOnly++;
    // Non-inferiority at a 5% margin with the truth exactly on the threshold.
    const v = twoWayVariance(obs, relative.statistic, relative.gradient);
    const [verdict] = nonInferiorityFamily({
      entries: [{ estimate: v.estimate, standardError: Math.sqrt(v.variance), df: v.df, items: 40, ratings: 120 }],
      margin: 0.05,
    });
    if (verdict.ok && verdict.verdict === "non-inferior") tally.nonInferior++;
    if (verdict.ok && verdict.verdict === "inferior") tally.inferior++;
  }

  it("prints its rates", () => {
    console.log("coverage check:", JSON.stringify({ studies: STUDIES, ...tally }));
    expect(tally.difference).toBeGreaterThan(0);
  });

  it("95% intervals of the difference and of the relative score cover the truth 93-97% of the time", () => {
    expect(tally.difference / STUDIES).toBeGreaterThanOrEqual(0.93);
    expect(tally.difference / STUDIES).toBeLessThanOrEqual(0.97);
    expect(tally.relative / STUDIES).toBeGreaterThanOrEqual(0.93);
    expect(tally.relative / STUDIES).toBeLessThanOrEqual(0.97);
  });

  it("item-only intervals, which ignore the annotators, cover too rarely on the same studies", () => {
    expect(tally.itemOnly / STUDIES).toBeLessThan(0.93);
  });

  it("the non-inferiority test keeps its one-sided 2.5% error rate at the margin, in each direction", () => {
    // 25 expected of 1000 (sd ~5): a wrong verdict either way stays within 1-4.5%.
    expect(tally.nonInferior / STUDIES).toBeGreaterThanOrEqual(0.01);
    expect(tally.nonInferior / STUDIES).toBeLessThanOrEqual(0.045);
    expect(tally.inferior / STUDIES).toBeGreaterThanOrEqual(0.01);
    expect(tally.inferior / STUDIES).toBeLessThanOrEqual(0.045);
  });
});

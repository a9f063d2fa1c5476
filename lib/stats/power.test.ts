import { describe, expect, it } from "vitest";
import { nonInferiorityFamily } from "./non-inferiority";
import { additionalRatings, estimateSpread, planNonInferiority } from "./power";
import { referenceValues, twoWayCase } from "./testing/reference";
import { PAIRED_STATISTICS, twoWayVariance } from "./two-way-cluster";

describe("sample-size plan for non-inferiority", () => {
  referenceValues.plan.forEach(({ input, expected }, k) => {
    it(`equals the Python reference (case ${k + 1})`, () => {
      const plan = planNonInferiority(input);
      if (expected === null) {
        expect(plan.ok).toBe(false);
        if (!plan.ok) expect(plan.reason).toMatch(/annotator disagreement alone/);
        return;
      }
      if (!plan.ok) throw new Error(plan.reason);
      expect(plan.items).toBe(expected.items);
      expect(plan.annotators).toBe(expected.annotators);
      expect(plan.ratings).toBe(expected.ratings);
      expect(plan.power).toBeCloseTo(expected.power, 10);
    });
  });

  it("says why when the expected student cannot clear the margin", () => {
    const plan = planNonInferiority({ ...referenceValues.plan[0].input, expectedRelative: 0.9 });
    expect(plan).toEqual({ ok: false, reason: expect.stringContaining("90.0% of the teacher cannot be shown") });
  });

  it("estimates the pilot's spread as the Python reference does", () => {
    const pilot = twoWayCase("balanced");
    const spread = estimateSpread({
      item: pilot.item,
      annotator: pilot.annotator,
      student: pilot.channels[0],
      teacher: pilot.channels[1],
      margin: referenceValues.spread.margin,
    });
    if (!spread.ok) throw new Error(spread.reason);
    for (const key of ["teacherMean", "itemSd", "residualSd", "annotatorSd"] as const) {
      expect(spread[key]).toBeCloseTo(referenceValues.spread[key], 10);
    }
  });

  referenceValues.moreRatings.forEach(({ input, expected }, k) => {
    it(`"how many more" equals the Python reference (case ${k + 1})`, () => {
      expect(additionalRatings(input)).toBe(expected);
    });
  });
});

describe("non-inferiority verdicts", () => {
  it("equal the Python reference, Bonferroni-corrected over the family", () => {
    const names = Object.keys(referenceValues.twoWay.cases);
    const { relative } = PAIRED_STATISTICS;
    const entries = names.map((name) => {
      const v = twoWayVariance(twoWayCase(name), relative.statistic, relative.gradient);
      return { estimate: v.estimate, standardError: Math.sqrt(v.variance), df: v.df, items: v.items, ratings: 1 };
    });
    const verdicts = nonInferiorityFamily({ entries, margin: referenceValues.nonInferiority.margin });
    names.forEach((name, j) => {
      const expected = referenceValues.nonInferiority.expected[name];
      const got = verdicts[j];
      if (!got.ok) throw new Error(got.reason);
      expect(got.lowerBound).toBeCloseTo(expected.lowerBound, 8);
      expect(got.upperBound).toBeCloseTo(expected.upperBound, 8);
      expect(got.level).toBeCloseTo(expected.level, 12);
      expect(got.verdict).toBe(expected.verdict);
      expect(got.comparisons).toBe(2);
    });
  });

  it("reads the verdict off the bounds", () => {
    const entry = (estimate: number) => ({ estimate, standardError: 1, df: 30, items: 40, ratings: 120 });
    const [good, bad, open] = nonInferiorityFamily({ entries: [entry(99), entry(90), entry(96)], margin: 0.05 });
    expect(good.ok && good.verdict).toBe("non-inferior");
    expect(bad.ok && bad.verdict).toBe("inferior");
    expect(open.ok && open.verdict).toBe("inconclusive");
    expect(open.ok && open.moreRatings).toBeGreaterThan(0);
    expect(good.ok && good.moreRatings).toBe(0);
  });

  it("refuses a margin that is not a share", () => {
    expect(() => nonInferiorityFamily({ entries: [], margin: 5 })).toThrow(/between 0 and 1/);
  });
});

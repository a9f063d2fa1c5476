import { describe, expect, it } from "vitest";
import {
  binomialHalfCdf,
  binomialHalfPmf,
  erfc,
  logGamma,
  normalQuantile,
  normalSf,
  studentTTwoSidedP,
} from "./distributions";
import { referenceValues } from "./testing/reference";

describe("distributions (against SciPy)", () => {
  const { z, sf, p, ppf } = referenceValues.normal;

  it.each(z.map((value, i) => [value, sf[i]]))("normal sf(%d)", (value, expected) => {
    // Relative accuracy, since tail values are tiny.
    expect(Math.abs(normalSf(value) - expected)).toBeLessThanOrEqual(1e-13 + 1e-12 * expected);
  });

  it.each(p.map((value, i) => [value, ppf[i]]))("normal quantile(%d)", (value, expected) => {
    expect(normalQuantile(value)).toBeCloseTo(expected, 9);
  });

  it("erfc is continuous where the two evaluation methods meet", () => {
    expect(erfc(2.5 - 1e-12)).toBeCloseTo(erfc(2.5), 14);
    expect(erfc(0)).toBe(1);
    expect(erfc(-1)).toBeCloseTo(2 - erfc(1), 15);
  });

  it("binomial(n, 1/2) pmf and cdf add up", () => {
    expect(binomialHalfPmf(2, 4)).toBeCloseTo(6 / 16, 15);
    expect(binomialHalfCdf(1, 4)).toBeCloseTo(5 / 16, 15);
    expect(binomialHalfCdf(1000, 2000)).toBeCloseTo(0.5 + binomialHalfPmf(1000, 2000) / 2, 12);
  });
});

describe("Student t and log-gamma (against SciPy)", () => {
  it.each(referenceValues.studentT)("two-sided p for t = $t, df = $df", ({ t, df, p }) => {
    expect(studentTTwoSidedP(t, df)).toBeCloseTo(p, 10);
  });

  it.each(referenceValues.logGamma)("logGamma($x)", ({ x, value }) => {
    expect(Math.abs(logGamma(x) - value)).toBeLessThan(1e-10 * Math.max(1, Math.abs(value)));
  });
});

import { describe, expect, it } from "vitest";
import type { StudyStatistics } from "@/lib/stats";
import type { SystemEfficiency } from "./efficiency";
import { buildHeadline, headlineCriterion } from "./headline";

const sys = (id: string, params: number | null): SystemEfficiency => ({
  systemId: id,
  name: id,
  role: id === "t" ? "TEACHER" : "STUDENT",
  kind: "ONNX_MODEL",
  parameterCount:
    params === null
      ? { ok: false, reason: `The parameter count of ${id} is not recorded` }
      : { ok: true, value: params },
  sizeOnDiskBytes: { ok: false, reason: "x" },
  latency: { ok: false, reason: "x" },
  costPer1000: { ok: false, reason: "x" },
  cpu: { ok: false, reason: "x" },
});
const interval = (estimate: number, lower: number, upper: number) => ({
  ok: true as const,
  estimate,
  lower,
  upper,
  level: 0.95,
  samples: 1000,
  failures: 0,
});
const verdict = (v: "non-inferior" | "inferior" | "inconclusive", estimate: number, lower: number, upper: number) => ({
  ok: true as const,
  margin: 0.05,
  threshold: 95,
  estimate,
  lowerBound: lower,
  upperBound: upper,
  level: 0.975,
  comparisons: 1,
  verdict: v,
  width: upper - lower,
  items: 40,
  ratings: 120,
  moreRatings: v === "inconclusive" ? 250 : 0,
});
const ready = { isPreliminary: false, minimums: {}, observed: {}, missing: [] };
const stats = (
  relative: ReturnType<typeof interval> | { ok: false; reason: string },
  ni: ReturnType<typeof verdict> | { ok: false; reason: string } = { ok: false, reason: "x" },
  readiness: { isPreliminary: boolean; missing: string[] } = ready,
  means = { studentMean: 4, teacherMean: 4 },
) =>
  ({
    meta: { options: { margin: 0.05 }, readiness },
    comparisons: [
      { studentSystemId: "s", criterion: "meaning", result: { ok: true, relativeScore: relative, ...means } },
    ],
    nonInferiority: [{ studentSystemId: "s", criterion: "meaning", result: ni }],
  }) as unknown as StudyStatistics;

describe("buildHeadline", () => {
  it("leads with the non-inferiority verdict at the margin, then size and speed, in plain sentences", () => {
    const h = buildHeadline({
      student: sys("s", 1_000_000),
      teacher: sys("t", 1_000_000_000),
      faster: { ...interval(42, 38, 47), items: 100 },
      criterion: { key: "meaning", label: "Meaning preservation" },
      statistics: stats(interval(98.2, 96.5, 99.9), verdict("non-inferior", 98.2, 96.1, 100.3)),
    });
    expect(h.sentence).toBe(
      "s is non-inferior to t at the 5% margin: it scored 98.2% of t's meaning preservation score, and the one-sided 97.5% lower bound, 96.1%, is above 95.0%. It has 1000 times fewer parameters. It is 42 times faster per paraphrase (95% CI 38 to 47 times).",
    );
    expect(h.isPreliminary).toBe(false);
  });

  it("says when the verdict is open and about how many more ratings would settle it", () => {
    const h = buildHeadline({
      student: sys("s", 5),
      teacher: sys("t", 50),
      faster: { ...interval(2, 1.5, 2.5), items: 100 },
      criterion: { key: "meaning", label: "Meaning" },
      statistics: stats(interval(96, 92, 100), verdict("inconclusive", 96, 91.5, 100.5)),
    });
    expect(h.sentence).toContain(
      "Whether s is within 5% of t is not settled: it scored 96.0% of t's meaning score, with 97.5% bounds from 91.5% to 100.5% around the 95.0% threshold; about 250 more ratings would settle it if the estimate holds.",
    );
  });

  it("says when settling needs more ratings than the study's pairs can still take (the demo read 'about 16992489')", () => {
    const h = buildHeadline({
      student: sys("s", 5),
      teacher: sys("t", 50),
      faster: { ...interval(2, 1.5, 2.5), items: 100 },
      criterion: { key: "meaning", label: "Meaning" },
      statistics: stats(interval(96, 92, 100), verdict("inconclusive", 96, 91.5, 100.5)),
      remainingRatings: 80,
    });
    expect(h.sentence).toContain(
      "; about 250 more ratings would settle it if the estimate holds, more than the 80 this study can still collect, so it needs more items or a wider margin.",
    );
  });

  it("says why a number is missing, each in a sentence of its own, without nested brackets", () => {
    const h = buildHeadline({
      student: sys("s", 5),
      teacher: sys("t", null),
      faster: { ok: false, reason: "the teacher's latency is not recorded" },
      criterion: { key: "meaning", label: "Meaning" },
      statistics: stats({ ok: false, reason: "too few paired items: 2 (need at least 5)" }),
    });
    expect(h.smaller.ok).toBe(false);
    expect(h.sentence).toContain("Size unknown: the parameter count of t is not recorded.");
    expect(h.sentence).toContain("Speed unknown: the teacher's latency is not recorded.");
    expect(h.sentence).not.toMatch(/\([^)]*\(/);
    expect(h.sentence).not.toContain("than t,");
  });

  it("marks a pilot preliminary and says what every rating was instead of a zero-width interval", () => {
    const h = buildHeadline({
      student: sys("s", 5),
      teacher: sys("t", 50),
      faster: { ok: false, reason: "the teacher's latency is not recorded" },
      criterion: { key: "meaning", label: "Meaning" },
      statistics: stats(
        { ok: false, reason: "no spread: all 9 ratings of the student were 1 and all 9 of the teacher were 5" },
        { ok: false, reason: "the relative score or its standard error is undefined for these data" },
        { isPreliminary: true, missing: ["9 of the 30 rated items needed", "1 of the 3 annotators needed"] },
        { studentMean: 1, teacherMean: 5 },
      ),
    });
    expect(h.isPreliminary).toBe(true);
    expect(h.sentence).toMatch(/^Preliminary \(9 of the 30 rated items needed; 1 of the 3 annotators needed\)\. /);
    expect(h.sentence).toContain(
      "s scored 20.0% of t's meaning score, with no interval: no spread: all 9 ratings of the student were 1 and all 9 of the teacher were 5.",
    );
    expect(h.sentence).not.toMatch(/20\.0.20\.0/);
  });

  it("prefers meaning preservation as the headline criterion", () => {
    expect(
      headlineCriterion([
        { key: "fluency", label: "F" },
        { key: "meaning", label: "M" },
      ])?.key,
    ).toBe("meaning");
    expect(headlineCriterion([{ key: "fluency", label: "F" }])?.key).toBe("fluency");
    expect(headlineCriterion([])).toBeNull();
  });
});

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
const stats = (relative: ReturnType<typeof interval> | { ok: false; reason: string }) =>
  ({
    comparisons: [{ studentSystemId: "s", criterion: "meaning", result: { ok: true, relativeScore: relative } }],
  }) as unknown as StudyStatistics;

describe("buildHeadline", () => {
  it("states size, speed and quality with their intervals", () => {
    const h = buildHeadline({
      student: sys("s", 1_000_000),
      teacher: sys("t", 1_000_000_000),
      faster: { ...interval(42, 38, 47), items: 100 },
      criterion: { key: "meaning", label: "Meaning preservation" },
      statistics: stats(interval(96.2, 93.1, 99)),
    });
    expect(h.sentence).toBe(
      "s is 1000 times smaller (parameters) and 42 times faster per paraphrase (95% CI 38–47×) than t, at 96.2% (95% CI 93.1–99.0%) of its meaning preservation score.",
    );
  });

  it("says why a number is missing instead of inventing it", () => {
    const h = buildHeadline({
      student: sys("s", 5),
      teacher: sys("t", null),
      faster: { ok: false, reason: "the teacher's latency is not recorded" },
      criterion: { key: "meaning", label: "Meaning" },
      statistics: stats({ ok: false, reason: "too few paired items: 2 (need at least 5)" }),
    });
    expect(h.smaller.ok).toBe(false);
    expect(h.sentence).toContain("of unknown relative size (the parameter count of t is not recorded)");
    expect(h.sentence).toContain("of unknown relative speed (the teacher's latency is not recorded)");
    expect(h.sentence).toContain("relative quality unknown (too few paired items: 2 (need at least 5))");
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

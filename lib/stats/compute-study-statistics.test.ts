import { describe, expect, it } from "vitest";
import { columnsFromRows } from "./columns";
import { computeStudyStatistics, computeStudyStatisticsOfColumns, prepareItemDraws } from "./compute-study-statistics";
import { PENDING_INTERVAL } from "./paired-comparison";
import type { StudyStatistics } from "./result-types";
import { StudyStatisticsInputSchema, type StudyStatisticsOutput, StudyStatisticsSchema } from "./schemas";
import { syntheticStudy } from "./synthetic-study";

const study = syntheticStudy({
  items: 120,
  studentEffects: [-0.6, 0, 0.1],
  annotatorsPerPair: 3,
  annotatorPool: 12,
  criteria: ["meaning", "fluency"],
  seed: 17,
});
const input = StudyStatisticsInputSchema.parse({ ...study, options: { bootstrapSamples: 300, seed: 5 } });

describe("computeStudyStatistics", () => {
  const result = computeStudyStatistics(input);

  it("matches the output schema (so no NaN or Infinity anywhere)", () => {
    expect(StudyStatisticsSchema.parse(JSON.parse(JSON.stringify(result)))).toEqual(result);
    // The zod contract and the TypeScript types describe the same object (checked by tsc).
    const asSchema: StudyStatisticsOutput = result;
    const asTypes: StudyStatistics = StudyStatisticsSchema.parse(result);
    expect(asTypes).toEqual(asSchema);
  });

  it("is plain JSON and reproducible", () => {
    const json = JSON.stringify(result);
    expect(JSON.parse(json)).toEqual(result);
    expect(json).not.toMatch(/NaN|Infinity/);
    expect(computeStudyStatistics(input)).toEqual(result);
  });

  it("describes the study", () => {
    expect(result.meta.systemIds).toEqual(["teacher", "student-1", "student-2", "student-3"]);
    expect(result.meta.counts).toEqual({
      ratings: 120 * 3 * 3 * 2 * 2,
      preferences: 120 * 3 * 3,
      items: 120,
      annotators: 12,
    });
    expect(result.descriptives).toHaveLength(4 * 2);
    expect(result.comparisons).toHaveLength(3 * 2);
  });

  it("finds the clearly worse student and not the equal one", () => {
    const worse = result.comparisons.find(
      (c) => c.studentSystemId === "student-1" && c.criterion === "meaning",
    )!.result;
    const equal = result.comparisons.find(
      (c) => c.studentSystemId === "student-2" && c.criterion === "meaning",
    )!.result;
    if (!worse.ok || !equal.ok || !worse.wilcoxon.ok || !equal.relativeScore.ok || !worse.meanDifference.ok)
      throw new Error("expected figures");
    expect(worse.wilcoxon.p).toBeLessThan(0.001);
    expect(worse.wilcoxon.pHolm).toBeGreaterThanOrEqual(worse.wilcoxon.p);
    expect(worse.meanDifference.upper).toBeLessThan(0);
    expect(equal.relativeScore.lower).toBeLessThan(100);
    expect(equal.relativeScore.upper).toBeGreaterThan(100);
  });

  it("ranks systems by Bradley-Terry in the order of their true effects", () => {
    const bt = result.bradleyTerry[0].result;
    if (!bt.ok) throw new Error(bt.reason);
    const strength = Object.fromEntries(bt.systems.map((s) => [s.systemId, s.logStrength]));
    expect(strength["student-1"]).toBeLessThan(strength.teacher);
    expect(strength["student-1"]).toBeLessThan(strength["student-3"]);
  });

  it("reports agreement, preferences and position bias", () => {
    for (const a of result.agreement.ratings) {
      if (!a.result.ok) throw new Error(a.result.reason);
      expect(a.result.alpha).toBeGreaterThan(0.2);
      expect(a.result.ci).not.toBeNull();
    }
    const pref = result.preferences.find((p) => p.studentSystemId === "student-1")!.result;
    if (!pref.ok) throw new Error(pref.reason);
    expect(pref.losses.share).toBeGreaterThan(pref.wins.share);
    expect(pref.wins.count + pref.ties.count + pref.losses.count).toBe(120 * 3);
    expect(result.positionBias[0].result.ok).toBe(true);
  });

  it("explains missing figures instead of inventing them", () => {
    const tiny = computeStudyStatistics({
      teacherSystemId: "t",
      ratings: [
        { itemId: "1", annotatorId: "a", systemId: "t", criterion: "meaning", value: 4 },
        { itemId: "1", annotatorId: "a", systemId: "s", criterion: "meaning", value: 3 },
      ],
      preferences: [{ itemId: "1", annotatorId: "a", leftSystemId: "t", rightSystemId: "s", choice: "left" }],
    });
    expect(StudyStatisticsSchema.parse(tiny)).toEqual(tiny);
    expect(tiny.comparisons[0].result).toEqual({ ok: false, reason: "too few paired items: 1 (need at least 5)" });
    expect(tiny.agreement.ratings[0].result.ok).toBe(false);
    expect(tiny.bradleyTerry[0].result.ok).toBe(false);
    expect(tiny.preferences[0].result.ok).toBe(false);
  });
});

describe("computeStudyStatistics under the null", () => {
  it("rejects an equally good student about 5% of the time, and its CIs cover 0", () => {
    let rejections = 0;
    let covered = 0;
    const studies = 60;
    for (let seed = 0; seed < studies; seed++) {
      const equal = syntheticStudy({
        items: 60,
        studentEffects: [0],
        annotatorsPerPair: 3,
        annotatorPool: 8,
        criteria: ["meaning"],
        seed: 1000 + seed,
      });
      const result = computeStudyStatistics({ ...equal, options: { bootstrapSamples: 200, seed } }).comparisons[0]
        .result;
      if (!result.ok || !result.wilcoxon.ok || !result.meanDifference.ok) throw new Error("expected figures");
      if (result.wilcoxon.p < 0.05) rejections++;
      if (result.meanDifference.lower <= 0 && 0 <= result.meanDifference.upper) covered++;
    }
    // Expected 3 rejections of 60 (sd ~1.7); 0.95 * 60 = 57 covered.
    expect(rejections).toBeLessThanOrEqual(9);
    expect(covered).toBeGreaterThanOrEqual(50);
  });
});

describe("computeStudyStatistics test scale", () => {
  it("runs the tests on z-scores by default and on raw ratings with testScale 'raw'", () => {
    const small = syntheticStudy({
      items: 30,
      studentEffects: [-0.4],
      annotatorsPerPair: 3,
      annotatorPool: 6,
      criteria: ["meaning"],
      seed: 21,
    });
    const figures = (["z", "raw"] as const).map((testScale) => {
      const result = computeStudyStatistics({ ...small, options: { bootstrapSamples: 100, seed: 1, testScale } })
        .comparisons[0].result;
      if (!result.ok) throw new Error(result.reason);
      return result;
    });
    const [z, raw] = figures;
    // Raw: the test-scale difference is the raw one; z: it is on another scale.
    if (
      !raw.meanDifference.ok ||
      !raw.meanDifferenceTestScale.ok ||
      !z.meanDifference.ok ||
      !z.meanDifferenceTestScale.ok
    )
      throw new Error("expected figures");
    expect(raw.meanDifferenceTestScale.estimate).toBeCloseTo(raw.meanDifference.estimate, 9);
    expect(z.meanDifferenceTestScale.estimate).not.toBeCloseTo(z.meanDifference.estimate, 3);
    // Means and the raw difference do not depend on the test scale.
    expect(z.meanDifference).toEqual(raw.meanDifference);
    expect(z.relativeScore).toEqual(raw.relativeScore);
    expect(z.wilcoxon).not.toEqual(raw.wilcoxon);
  });
});

describe("computeStudyStatistics warnings", () => {
  it("tells the reader about constant annotators, ignored criteria and repeated ratings", () => {
    const rating = (itemId: string, annotatorId: string, systemId: string, value: number, criterion = "meaning") => ({
      itemId,
      pairId: `${itemId}:s`,
      annotatorId,
      systemId,
      criterion,
      value,
    });
    const result = computeStudyStatistics({
      teacherSystemId: "t",
      criteria: [{ id: "meaning" }],
      ratings: [
        rating("1", "a", "t", 4),
        rating("1", "a", "s", 2),
        rating("2", "a", "t", 5),
        rating("2", "a", "s", 3),
        rating("1", "flat", "t", 3),
        rating("1", "flat", "s", 3),
        rating("1", "flat", "s", 3),
        rating("2", "a", "t", 1, "unlisted"),
      ],
    });
    expect(result.meta.warnings).toEqual([
      "These annotators gave one value throughout a criterion, so their z-scores are 0: flat (meaning)",
      "1 ratings on criteria not in the criteria list were ignored",
      "1 repeated ratings of the same output by the same annotator were left out of agreement",
    ]);
  });
});

describe("computeStudyStatistics on a one-annotator pilot", () => {
  // The pilot: 9 ratings by one annotator, the student always 1, the teacher always 5.
  const ratings = Array.from({ length: 9 }, (_, i) => {
    const common = { itemId: `item-${i}`, pairId: `pair-${i}`, annotatorId: "only", criterion: "meaning" };
    return [
      { ...common, systemId: "teacher", value: 5 },
      { ...common, systemId: "student", value: 1 },
    ];
  }).flat();
  const preferences = Array.from({ length: 9 }, (_, i) => ({
    itemId: `item-${i}`,
    pairId: `pair-${i}`,
    annotatorId: "only",
    leftSystemId: "teacher",
    rightSystemId: "student",
    choice: "left" as const,
  }));
  const result = computeStudyStatistics({ teacherSystemId: "teacher", ratings, preferences });

  it("is marked preliminary and says which minimums are missing", () => {
    expect(result.meta.readiness.isPreliminary).toBe(true);
    expect(result.meta.readiness.missing).toEqual([
      "9 of the 30 rated items needed",
      "a median of 1 annotators per item, 2 needed to measure agreement",
      "1 of the 3 annotators needed to generalise beyond this panel",
    ]);
  });

  it("gives no p-value that pretends to generalise over annotators", () => {
    const cmp = result.comparisons[0].result;
    if (!cmp.ok) throw new Error("expected a comparison");
    expect(cmp.wilcoxon).toEqual({ ok: false, reason: expect.stringMatching(/^one annotator/) });
    expect(cmp.winTieLoss.signTest).toEqual({ ok: false, reason: expect.stringMatching(/^one annotator/) });
    const pref = result.preferences[0].result;
    expect(pref.ok && pref.signTest.ok).toBe(false);
  });

  it("says what every rating was instead of a zero-width interval", () => {
    const cmp = result.comparisons[0].result;
    if (!cmp.ok) throw new Error("expected a comparison");
    expect(cmp.studentMean / cmp.teacherMean).toBeCloseTo(0.2, 12);
    expect(cmp.relativeScore).toEqual({
      ok: false,
      reason: "no spread: all 9 ratings of the student were 1 and all 9 of the teacher were 5",
    });
    const student = result.descriptives.find((d) => d.systemId === "student")!.result;
    expect(student.ok && student.meanCI).toEqual({ ok: false, reason: "no spread: all 9 ratings were 1" });
    const json = JSON.stringify(result);
    expect(json).not.toMatch(/"lower":(\d+(\.\d+)?),"upper":\1[,}]/);
  });
});

describe("computeStudyStatistics where the two-way intervals do not apply", () => {
  // student-2's pairs lost their teacher ratings on every third item: those items compare with
  // the teacher's ratings made beside the other students, which the two-way (pair-level)
  // intervals do not cover, so that comparison keeps the item bootstrap's intervals.
  const ratings = study.ratings.filter(
    (r) => !(r.systemId === "teacher" && r.pairId?.endsWith("student-2") && Number(r.itemId.slice(5)) % 3 === 0),
  );
  const result = computeStudyStatistics({ ...study, ratings, options: { bootstrapSamples: 300, seed: 5 } });

  it("bootstraps that comparison's rating intervals over items and the others' over items and annotators", () => {
    for (const cmp of result.comparisons) {
      if (!cmp.result.ok) throw new Error("expected a comparison");
      const { meanDifference, meanDifferenceTestScale, relativeScore } = cmp.result;
      for (const interval of [meanDifference, meanDifferenceTestScale, relativeScore]) {
        if (!interval.ok) throw new Error(`expected an interval for ${cmp.studentSystemId}`);
        if (cmp.studentSystemId === "student-2") {
          expect(interval.method).toBeUndefined();
          expect(interval.samples).toBe(300);
          expect(interval.lower).toBeLessThan(interval.upper);
        } else expect(interval.method).toBe("two-way-cluster");
      }
    }
    for (const d of result.descriptives)
      expect(d.result.ok && d.result.meanCI.ok && d.result.meanCI.method).toBe("two-way-cluster");
    expect(JSON.stringify(result)).not.toContain(PENDING_INTERVAL.reason);
  });
});

describe("computeStudyStatisticsOfColumns with item draws prepared before the ratings load", () => {
  it("gives the same figures with draws for more items than were rated, and none without them", () => {
    const options = { bootstrapSamples: 300, seed: 5 };
    const columns = columnsFromRows(study);
    expect(columns.itemCount).toBe(120);
    const plain = computeStudyStatisticsOfColumns(columns, options);
    for (const maxItems of [120, 200]) {
      const itemDraws = prepareItemDraws(maxItems, options);
      expect(itemDraws?.raw.length).toBe(300 * maxItems);
      expect(computeStudyStatisticsOfColumns(columns, options, { itemDraws })).toEqual(plain);
    }
    // Too few items covered, or another seed: drawn afresh, same figures.
    for (const itemDraws of [prepareItemDraws(119, options), prepareItemDraws(120, { ...options, seed: 6 })])
      expect(computeStudyStatisticsOfColumns(columns, options, { itemDraws })).toEqual(plain);
    expect(prepareItemDraws(120_000, { bootstrapSamples: 1000 })).toBeNull();
  });
});

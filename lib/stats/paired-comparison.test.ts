import { describe, expect, it } from "vitest";
import { comparePaired, comparePairedMany, PENDING_INTERVAL } from "./paired-comparison";
import { createRng } from "./random";
import { signTestRaw } from "./sign-test";
import { wilcoxonRaw } from "./wilcoxon";

describe("comparePaired", () => {
  const teacher = [4, 4.5, 3, 5, 4, 3.5, 4, 4.5, 2.5, 4];
  const student = [3.5, 4.5, 3, 4, 4.5, 3, 3, 4, 2, 3.5];

  it("reports hand-checkable point estimates", () => {
    const figure = comparePaired({ studentRaw: student, teacherRaw: teacher }, { seed: 1, samples: 500 });
    if (!figure.ok) throw new Error(figure.reason);
    // sums: teacher 39, student 35 -> difference -0.4, relative 35/39
    expect(figure.teacherMean).toBeCloseTo(3.9, 12);
    expect(figure.studentMean).toBeCloseTo(3.5, 12);
    if (!figure.meanDifference.ok || !figure.relativeScore.ok) throw new Error("expected figures");
    expect(figure.meanDifference.estimate).toBeCloseTo(-0.4, 12);
    expect(figure.relativeScore.estimate).toBeCloseTo((100 * 35) / 39, 10);
    expect(figure.relativeScore.lower).toBeLessThan(figure.relativeScore.estimate);
    expect(figure.relativeScore.upper).toBeGreaterThan(figure.relativeScore.estimate);
    // differences: -0.5, 0, 0, -1, 0.5, -0.5, -1, -0.5, -0.5, -0.5 -> 1 win, 2 ties, 7 losses
    expect(figure.winTieLoss.wins).toMatchObject({ count: 1, share: 0.1 });
    expect(figure.winTieLoss.ties).toMatchObject({ count: 2, share: 0.2 });
    expect(figure.winTieLoss.losses).toMatchObject({ count: 7, share: 0.7 });
    expect(figure.winTieLoss.signTest).toMatchObject({ ok: true, wins: 1, losses: 7, ties: 2 });
    if (figure.winTieLoss.signTest.ok)
      expect(figure.winTieLoss.signTest.p).toBeCloseTo(signTestRaw({ wins: 1, losses: 7 }).p, 14);
    const differences = student.map((s, i) => s - teacher[i]);
    if (!figure.wilcoxon.ok) throw new Error(figure.wilcoxon.reason);
    expect(figure.wilcoxon.p).toBeCloseTo(wilcoxonRaw(differences).p, 14);
  });

  it("runs the tests on the test scale when one is given, the ratio on raw scores", () => {
    const studentTest = student.map((s) => (s - 3.7) / 0.8);
    const teacherTest = teacher.map((t) => (t - 3.7) / 0.8);
    const figure = comparePaired(
      { studentRaw: student, teacherRaw: teacher, studentTest, teacherTest },
      { seed: 1, samples: 200 },
    );
    if (!figure.ok || !figure.meanDifferenceTestScale.ok || !figure.relativeScore.ok)
      throw new Error("expected figures");
    expect(figure.meanDifferenceTestScale.estimate).toBeCloseTo(-0.4 / 0.8, 12);
    expect(figure.relativeScore.estimate).toBeCloseTo((100 * 35) / 39, 10);
  });

  it("is reproducible for a fixed seed", () => {
    const a = comparePaired({ studentRaw: student, teacherRaw: teacher }, { seed: 5, samples: 300 });
    expect(comparePaired({ studentRaw: student, teacherRaw: teacher }, { seed: 5, samples: 300 })).toEqual(a);
  });

  it("refuses fewer than five paired items and a non-positive teacher mean", () => {
    expect(comparePaired({ studentRaw: [1, 2, 3, 4], teacherRaw: [1, 2, 3, 4] })).toEqual({
      ok: false,
      reason: "too few paired items: 4 (need at least 5)",
    });
    const zeroTeacher = comparePaired({ studentRaw: [1, 2, 0, 1, 2], teacherRaw: [0, 0, 0, 0, 0] }, { samples: 50 });
    if (!zeroTeacher.ok) throw new Error(zeroTeacher.reason);
    expect(zeroTeacher.relativeScore.ok).toBe(false);
  });
});

describe("comparePaired with unpaired items", () => {
  it("leaves out items where either side is missing (NaN)", () => {
    const teacher = [4, NaN, 3, 5, 4, 3.5, 4];
    const student = [3.5, 4, NaN, 4, 4.5, 3, 3];
    const figure = comparePaired({ studentRaw: student, teacherRaw: teacher }, { seed: 1, samples: 200 });
    if (!figure.ok || !figure.meanDifference.ok) throw new Error("expected figures");
    expect(figure.n).toBe(5);
    expect(figure.meanDifference.estimate).toBeCloseTo((-0.5 - 1 + 0.5 - 0.5 - 1) / 5, 12);
    expect(figure.winTieLoss.wins.count + figure.winTieLoss.ties.count + figure.winTieLoss.losses.count).toBe(5);
  });
});

describe("comparePairedMany with the shares alone", () => {
  const rng = createRng(11);
  const list = [0, 0.3, -0.2, 0.1, 0.5].map((effect) => {
    const teacherRaw = Array.from({ length: 60 }, () => 1 + rng.nextInt(5));
    const studentRaw = teacherRaw.map((t, i) =>
      i % 9 === 4 ? NaN : Math.min(5, Math.max(1, t + Math.round(effect + rng.nextNormal()))),
    );
    return { studentRaw, teacherRaw };
  });

  it("gives the same shares, tests and means to the bit, and leaves the rating intervals to the caller", () => {
    const options = { samples: 300, seed: 4 };
    const all = comparePairedMany(list, options);
    const shares = comparePairedMany(list, { ...options, intervals: "shares" });
    shares.forEach(({ figure, studentMean }, j) => {
      const full = all[j].figure;
      if (!figure.ok || !full.ok) throw new Error("expected comparisons");
      expect(figure.winTieLoss).toEqual(full.winTieLoss);
      expect(figure.wilcoxon).toEqual(full.wilcoxon);
      expect([figure.n, figure.studentMean, figure.teacherMean]).toEqual([full.n, full.studentMean, full.teacherMean]);
      expect(figure.meanDifference).toBe(PENDING_INTERVAL);
      expect(figure.meanDifferenceTestScale).toBe(PENDING_INTERVAL);
      expect(figure.relativeScore).toBe(PENDING_INTERVAL);
      expect(studentMean).toBeNull();
      expect(full.meanDifference.ok && full.relativeScore.ok).toBe(true);
    });
  });
});

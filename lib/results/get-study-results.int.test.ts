import { afterEach, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { seedDemoRatings } from "@/prisma/demo-ratings";
import { getStudyResults } from "./index";
import { listStudyCriteria, loadRatingColumns } from "./queries";
import { makeRatedStudy, rateGold, type RatedStudy } from "@/prisma/testing/results-fixture";

let made: RatedStudy[] = [];
afterEach(async () => {
  for (const s of made) await s.remove();
  made = [];
});
async function study(opts?: { items?: number; annotators?: number }) {
  const s = await makeRatedStudy(opts);
  made.push(s);
  return s;
}

describe("getStudyResults", () => {
  it("maps left and right back to teacher and student through teacherOnLeft", async () => {
    const s = await study();
    await s.rate({ isSimulated: false, teacherScore: 5, studentScore: 3 });
    const r = await getStudyResults(s.fixture.researcher, { studyId: s.studyId });
    const meaning = (systemId: string) =>
      r.statistics.descriptives.find((d) => d.systemId === systemId && d.criterion === "meaning")!.result;
    const t = meaning(s.fixture.teacher.id);
    const st = meaning(s.fixture.students[0].id);
    expect(t.ok && t.mean).toBe(5);
    expect(st.ok && st.mean).toBe(3);
    const cmp = r.statistics.comparisons.find((c) => c.criterion === "meaning")!.result;
    if (!cmp.ok) throw new Error("expected a comparison");
    expect((100 * cmp.studentMean) / cmp.teacherMean).toBeCloseTo(60, 6);
    // Every rating the same on each side: the figure says so instead of a zero-width interval.
    expect(cmp.relativeScore).toEqual({ ok: false, reason: expect.stringMatching(/^no spread: all \d+ ratings/) });
    // Every preference favoured the teacher, on whichever side it was shown.
    const pref = r.statistics.preferences[0].result;
    expect(pref.ok && pref.losses.count).toBe(pref.ok ? pref.judgments : -1);
    expect(r.dataset.label).toBe("REAL");
  });

  it("loads the same columns when an annotator has no participant row (annotators numbered from the ratings then)", async () => {
    const s = await study({ annotators: 3 });
    await s.rate({ isSimulated: false, annotators: 3, studentScoreOf: (p) => 1 + (p % 5) });
    const criteria = (await listStudyCriteria(s.studyId)).map((c) => c.key);
    const load = () => loadRatingColumns({ studyId: s.studyId, isSimulated: false, criteria });
    const numberedFromParticipants = await load();
    const before = await getStudyResults(s.fixture.researcher, { studyId: s.studyId });
    // Ratings made outside the claim: the middle annotator's participant row is gone.
    const stranger = numberedFromParticipants.annotatorIds[1];
    await prisma.studyParticipant.delete({ where: { studyId_userId: { studyId: s.studyId, userId: stranger } } });
    const numberedFromRatings = await load();
    expect(numberedFromRatings.annotatorIds).toEqual(numberedFromParticipants.annotatorIds);
    expect([...numberedFromRatings.annotator]).toEqual([...numberedFromParticipants.annotator]);
    expect(new Set(numberedFromRatings.annotator).size).toBe(3);
    const after = await getStudyResults(s.fixture.researcher, { studyId: s.studyId });
    expect(after.statistics).toEqual(before.statistics);
    expect(after.annotators.map((a) => a.pseudonym).sort()).toEqual(before.annotators.map((a) => a.pseudonym).sort());
  });

  it("loads the same columns in two halves at once as in one read (inside a transaction)", async () => {
    const s = await study({ items: 9, annotators: 3 });
    await s.rate({ isSimulated: false, annotators: 3, studentScoreOf: (p) => 1 + (p % 5) });
    await rateGold(s, 1, 2);
    // Some ratings rewritten: their rows move, so arrival order is no longer insertion order.
    await prisma.$executeRaw`UPDATE "Rating" SET "activeMs" = "activeMs" + 1 WHERE "studyId" = ${s.studyId}::uuid AND "activeMs" % 3 = 0`;
    const criteria = (await listStudyCriteria(s.studyId)).map((c) => c.key);
    const args = { studyId: s.studyId, isSimulated: false, criteria };
    const inHalves = await loadRatingColumns(args);
    const whole = await prisma.$transaction((tx) => loadRatingColumns(args, tx));
    expect(inHalves.length).toBe(9 * 3 + 1);
    expect(new Set(inHalves.pair).size).toBe(10);
    expect(inHalves.checks).toHaveLength(1);
    expect(inHalves).toEqual(whole);
  });

  it("reports progress as ratings done against pairs x k, per system and per annotator", async () => {
    const s = await study({ items: 6, annotators: 3 });
    await s.rate({ isSimulated: false, annotators: 2 });
    const r = await getStudyResults(s.fixture.researcher, { studyId: s.studyId });
    expect(r.progress.perSystem).toEqual([expect.objectContaining({ pairs: 6, done: 12, needed: 18 })]);
    expect(r.progress.done).toBe(12);
    expect(r.progress.needed).toBe(18);
    expect(r.progress.perAnnotator.map((a) => a.done).sort()).toEqual([0, 6, 6]);
  });

  it("uses simulated ratings only while the study has no real ones, and labels them", async () => {
    const s = await study();
    await s.rate({ isSimulated: true, annotators: 2, studentScore: 2 });
    let r = await getStudyResults(s.fixture.researcher, { studyId: s.studyId });
    expect(r.dataset).toMatchObject({ kind: "simulated", label: "SIMULATED", simulatedRatings: 16, realRatings: 0 });
    expect(r.statistics.meta.counts.preferences).toBe(16);

    // One real annotator's ratings replace the simulated ones entirely: never a mix.
    const lone = s.fixture.annotators[2];
    const assignment = await prisma.assignment.create({
      data: {
        pairId: s.pairIds[0],
        annotatorId: lone.id,
        status: "SUBMITTED",
        teacherOnLeft: false,
        leaseExpiresAt: new Date(),
      },
      select: { id: true },
    });
    await prisma.rating.create({
      data: {
        assignmentId: assignment.id,
        studyId: s.studyId,
        pairId: s.pairIds[0],
        annotatorId: lone.id,
        instructionsVersionId: s.instructionsVersionId,
        teacherOnLeft: false,
        scores: { meaning: { left: 4, right: 5 } },
        preference: "RIGHT",
        activeMs: 1000,
      },
    });
    r = await getStudyResults(s.fixture.researcher, { studyId: s.studyId });
    expect(r.dataset).toMatchObject({ label: "REAL", realRatings: 1, simulatedRatings: 16 });
    expect(r.statistics.meta.counts.preferences).toBe(1);
  });

  it("gives the statistics library's reason instead of a number when data are too few", async () => {
    const s = await study({ items: 3 });
    await s.rate({ isSimulated: false });
    const r = await getStudyResults(s.fixture.researcher, { studyId: s.studyId });
    const cmp = r.statistics.comparisons.find((c) => c.criterion === "meaning")!.result;
    expect(cmp.ok).toBe(false);
    expect(!cmp.ok && cmp.reason).toMatch(/too few paired items/);
    expect(r.headlines[0].quality.result.ok).toBe(false);
    expect(r.headlines[0].sentence).toMatch(/relative to .* is not known yet: too few paired items/);
  });

  it("measures efficiency and says what is missing instead of inventing it", async () => {
    const s = await study();
    await s.rate({ isSimulated: false });
    const r = await getStudyResults(s.fixture.researcher, { studyId: s.studyId });
    const [teacher, student] = r.efficiency;
    expect(teacher.parameterCount.ok).toBe(false);
    expect(!teacher.parameterCount.ok && teacher.parameterCount.reason).toMatch(/parameter count .* is not recorded/);
    expect(student.parameterCount).toEqual({ ok: true, value: 700_000 });
    expect(teacher.latency.ok && teacher.latency.medianMs).toBe(500);
    expect(student.latency.ok && student.latency.p95Ms).toBe(10);
    expect(student.latency.ok && student.latency.paraphrasesPerSecond).toBe(100);
    const h = r.headlines[0];
    expect(h.smaller.ok).toBe(false);
    expect(h.faster.ok && h.faster.estimate).toBe(50);
    expect(h.sentence).toMatch(/Size unknown: the parameter count of .* is not recorded/);
    expect(h.sentence).toContain("It is 50 times faster per paraphrase (every timed item gave the same ratio).");
    // The pilot: below the minimums, and no zero-width interval where every rating was the same.
    expect(h.sentence).toMatch(/^Preliminary \(8 of the 30 rated items needed\)\. /);
    expect(h.sentence).toMatch(
      /scored 80\.0% of .*'s meaning preservation score, with no interval: no spread: all \d+ ratings/,
    );
    expect(h.sentence).not.toMatch(/80\.0.80\.0/);
  });

  it("tabulates annotators by pseudonym with gold accuracy and agreement", async () => {
    const s = await study();
    await s.rate({ isSimulated: false });
    await rateGold(s, 0, 1); // right: a verbatim copy has the lowest lexical diversity
    await rateGold(s, 1, 4); // wrong
    const r = await getStudyResults(s.fixture.researcher, { studyId: s.studyId });
    const row = (i: number) => r.annotators.find((a) => a.annotatorId === s.fixture.annotators[i].id)!;
    expect(row(0).pseudonym).toBe(s.fixture.annotators[0].email.split("@")[0]);
    expect(row(0).gold).toEqual({ answered: 1, correct: 1, accuracy: 1 });
    expect(row(1).gold).toEqual({ answered: 1, correct: 0, accuracy: 0 });
    expect(row(2).gold.accuracy).toBeNull();
    expect(row(0).regularRatings).toBe(8);
    expect(row(0).ratings).toBe(9);
    expect(JSON.stringify(r)).not.toContain(s.fixture.annotators[0].email);
    expect(JSON.stringify(r)).not.toContain(s.fixture.annotators[0].name);
  });

  it("leaves paused annotators out of the statistics and says so", async () => {
    const s = await study();
    await s.rate({ isSimulated: false });
    await prisma.studyParticipant.update({
      where: { studyId_userId: { studyId: s.studyId, userId: s.fixture.annotators[0].id } },
      data: { isPaused: true, pausedReason: "gold" },
    });
    const r = await getStudyResults(s.fixture.researcher, { studyId: s.studyId });
    expect(r.dataset.excludedRatings).toBe(8);
    expect(r.statistics.meta.counts.preferences).toBe(16);
  });

  it("switches the test scale between z-scores and raw ratings", async () => {
    const s = await study();
    const studentScoreOf = (p: number) => (p % 2 === 0 ? 4 : 3);
    await s.rate({ isSimulated: false, studentScoreOf });
    const z = await getStudyResults(s.fixture.researcher, { studyId: s.studyId, scale: "z" });
    const raw = await getStudyResults(s.fixture.researcher, { studyId: s.studyId, scale: "raw" });
    const diff = (r: typeof z) => {
      const c = r.statistics.comparisons.find((x) => x.criterion === "meaning")!.result;
      return c.ok && c.meanDifferenceTestScale.ok ? c.meanDifferenceTestScale.estimate : NaN;
    };
    // Every annotator rates the teacher 5 and the student 4 or 3 by pair: the z-scores divide each
    // difference by that annotator's SD over all their ratings.
    const cmp = raw.statistics.comparisons.find((x) => x.criterion === "meaning")!.result;
    if (!cmp.ok) throw new Error("expected a comparison");
    const students = Array.from({ length: cmp.n }, (_, p) => studentScoreOf(p));
    const values = [...students, ...students.map(() => 5)];
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    const rawDifference = students.reduce((a, b) => a + b - 5, 0) / students.length;
    expect(diff(raw)).toBeCloseTo(rawDifference, 9);
    expect(diff(z)).toBeCloseTo(rawDifference / sd, 9);
  });

  it("answers a study without any rating with reasons, not numbers", async () => {
    const s = await study({ items: 3 });
    const r = await getStudyResults(s.fixture.researcher, { studyId: s.studyId });
    expect(r.dataset).toMatchObject({ label: "REAL", realRatings: 0, simulatedRatings: 0 });
    expect(r.progress).toMatchObject({ done: 0, needed: 9 });
    expect(r.statistics.descriptives.every((d) => !d.result.ok)).toBe(true);
    expect(r.headlines[0].quality.result.ok).toBe(false);
  });

  it("refuses annotators and answers NotFound for a study that does not exist", async () => {
    const s = await study({ items: 2, annotators: 1 });
    await expect(getStudyResults(s.fixture.annotators[0], { studyId: s.studyId })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(
      getStudyResults(s.fixture.researcher, { studyId: "00000000-0000-4000-8000-000000000000" }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("seedDemoRatings", () => {
  it("adds simulated ratings once, from simulated annotators, and never touches real ones", async () => {
    const s = await study({ items: 6 });
    await s.rate({ isSimulated: false, annotators: 1 });
    const real = await prisma.rating.findMany({
      where: { studyId: s.studyId, isSimulated: false },
      select: { id: true, updatedAt: true, scores: true },
    });
    const first = await seedDemoRatings(prisma, s.studyId);
    expect(first.created).toBe(7 * 3); // 6 regular pairs + 1 gold, 3 simulated annotators
    const again = await seedDemoRatings(prisma, s.studyId);
    expect(again.created).toBe(0);
    const after = await prisma.rating.findMany({
      where: { studyId: s.studyId, isSimulated: false },
      select: { id: true, updatedAt: true, scores: true },
    });
    expect(after).toEqual(real);
    const sims = await prisma.rating.findMany({
      where: { studyId: s.studyId, isSimulated: true },
      select: { annotator: { select: { isActive: true, passwordHash: true } } },
    });
    expect(sims.every((x) => x.annotator.isActive === false)).toBe(true);
    const pair = await prisma.pair.findUniqueOrThrow({ where: { id: s.pairIds[0] }, select: { takenCount: true } });
    expect(pair.takenCount).toBe(0);
    await prisma.rating.deleteMany({ where: { studyId: s.studyId } });
  });

  it("makes every chart computable on a study with no real ratings", async () => {
    const s = await study({ items: 8 });
    await seedDemoRatings(prisma, s.studyId);
    const r = await getStudyResults(s.fixture.researcher, { studyId: s.studyId });
    expect(r.dataset.label).toBe("SIMULATED");
    const meaning = r.statistics.descriptives.filter((d) => d.criterion === "meaning");
    expect(meaning.every((d) => d.result.ok)).toBe(true);
    expect(r.statistics.agreement.ratings.every((a) => a.result.ok)).toBe(true);
    expect(r.statistics.bradleyTerry[0].result.ok).toBe(true);
  });
});

describe("annotators whose ratings should not count", () => {
  it("flags a too-fast annotator and shows the verdicts with and without them", async () => {
    const s = await study({ items: 8, annotators: 3 });
    await s.rate({ isSimulated: false, studentScoreOf: (p) => (p % 3 === 0 ? 3 : 4) });
    const fast = s.fixture.annotators[0];
    await prisma.rating.updateMany({ where: { studyId: s.studyId, annotatorId: fast.id }, data: { activeMs: 300 } });
    const r = await getStudyResults(s.fixture.researcher, { studyId: s.studyId });
    const row = r.annotators.find((a) => a.annotatorId === fast.id)!;
    expect(row.flags).toEqual([expect.stringMatching(/^too fast: median 0\.3 s per rating against \d+\.\d s/)]);
    expect(r.annotators.filter((a) => a.annotatorId !== fast.id).every((a) => a.flags.length === 0)).toBe(true);
    // Counted in the main figures, left out of the side-by-side ones.
    expect(r.statistics.meta.counts.annotators).toBe(3);
    expect(r.withoutFlagged?.annotators).toEqual([row.pseudonym]);
    expect(r.withoutFlagged?.statistics.meta.counts.annotators).toBe(2);
    expect(r.withoutFlagged?.statistics.nonInferiority).toHaveLength(r.statistics.nonInferiority.length);
  });
});

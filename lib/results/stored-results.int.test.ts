import { afterEach, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import {
  JOB_TYPES,
  queueResultsRefresh,
  RESULTS_REFRESH_DELAY_MS,
  RESULTS_REFRESH_REST_FACTOR,
  restResultsRefresh,
  type JobContext,
} from "@/lib/jobs";
import { setParticipantPaused } from "@/lib/studies";
import { makeUser, deleteUsers } from "@/prisma/testing/factories";
import { makeRatedStudy, type RatedStudy } from "@/prisma/testing/results-fixture";
import {
  exportRatings,
  exportStudyResults,
  getStudyMetrics,
  getSettlingProgress,
  getStudyResults,
  runResultsJob,
  viewStudyResults,
  type StudyResults,
} from "./index";
import { readResultsStamp, readSnapshot, storeSnapshot } from "./stored-results";

let made: RatedStudy[] = [];
const users: string[] = [];
afterEach(async () => {
  for (const s of made) {
    await prisma.job.deleteMany({
      where: { type: JOB_TYPES.RESULTS.type, payload: { equals: { studyId: s.studyId } } },
    });
    await s.remove();
  }
  made = [];
  await deleteUsers(...users.splice(0));
});
async function study(opts?: { items?: number; annotators?: number }) {
  const s = await makeRatedStudy(opts);
  made.push(s);
  return s;
}

/** The figures without the moment and cost of computing them. */
const figures = (r: StudyResults) => {
  const { computedAt: _at, timings: _t, ...rest } = JSON.parse(JSON.stringify(r)) as StudyResults;
  return rest;
};

/** One rating of the first pair by the study's last annotator (who has none yet). */
async function rateByLast(s: RatedStudy, meaning: number) {
  const annotator = s.fixture.annotators.at(-1)!;
  const assignment = await prisma.assignment.create({
    data: {
      pairId: s.pairIds[0],
      annotatorId: annotator.id,
      status: "SUBMITTED",
      teacherOnLeft: true,
      leaseExpiresAt: new Date(),
    },
    select: { id: true },
  });
  await prisma.rating.create({
    data: {
      assignmentId: assignment.id,
      studyId: s.studyId,
      pairId: s.pairIds[0],
      annotatorId: annotator.id,
      instructionsVersionId: s.instructionsVersionId,
      teacherOnLeft: true,
      scores: {
        meaning: { left: 5, right: meaning },
        fluency: { left: 5, right: 4 },
        lexical_diversity: { left: 3, right: 3 },
        syntactic_diversity: { left: 3, right: 3 },
      },
      preference: "LEFT",
      activeMs: 9000,
    },
  });
}

/** Runs the waiting refresh of this study the way the worker does (without waiting for its debounce). */
async function runQueuedRefresh(studyId: string) {
  const job = await prisma.job.findUniqueOrThrow({
    where: { dedupeKey: `${JOB_TYPES.RESULTS.type}:${studyId}` },
    select: { id: true, type: true, payload: true, attempts: true },
  });
  const ctx: JobContext = {
    job: { ...job, cancelRequested: false },
    checkpoint: async () => ({ stop: false, cancelled: false }),
  };
  return runResultsJob(ctx);
}

const waitingRefreshes = (studyId: string) =>
  prisma.job.count({
    where: { type: JOB_TYPES.RESULTS.type, status: "QUEUED", payload: { equals: { studyId } } },
  });

describe("stored results", () => {
  it("computes and stores on the first view, and serves a stored result equal to a fresh computation", async () => {
    const s = await study({ annotators: 3 });
    const n = await s.rate({ isSimulated: false, annotators: 2, studentScoreOf: (p) => 2 + (p % 3) });
    const first = await viewStudyResults(s.fixture.researcher, { studyId: s.studyId });
    expect(first.asOf).toMatchObject({ ratings: n, isUpdating: false });
    expect(await readSnapshot(s.studyId, "z")).not.toBeNull();
    const served = await viewStudyResults(s.fixture.researcher, { studyId: s.studyId });
    // Served from the row: same computedAt as the first view, same figures as computing now.
    expect(served.results.computedAt).toBe(first.results.computedAt);
    const fresh = await getStudyResults(s.fixture.researcher, { studyId: s.studyId });
    expect(figures(served.results)).toEqual(figures(fresh));
    expect(served.results.withoutFlagged).toEqual(JSON.parse(JSON.stringify(fresh.withoutFlagged)));
  });

  it("treats a snapshot stored by an older version (no format, older shape and wording) as missing, and replaces it", async () => {
    const s = await study({ annotators: 3 });
    await s.rate({ isSimulated: false, annotators: 2 });
    const stamp = await readResultsStamp(s.studyId);
    // What the code before snapshot formats stored: same columns, no format, an older shape and wording.
    const { ranking: _ranking, ...older } = await getStudyResults(s.fixture.researcher, { studyId: s.studyId });
    const oldText = JSON.stringify({
      ...older,
      headlines: [{ text: "an old sentence" }],
      computedAt: "2026-01-01T00:00:00.000Z",
    });
    await prisma.$executeRaw`
      INSERT INTO "StudyResultSnapshot" ("studyId", "scale", "result", "ratingsCount", "lastRatingAt", "inputsAt", "computedAt")
      VALUES (${s.studyId}::uuid, 'z', ${oldText}, ${stamp.ratingsCount}, ${stamp.lastRatingAt}, ${stamp.now}, ${new Date("2026-01-01")})`;
    expect(await readSnapshot(s.studyId, "z")).toBeNull();
    const view = await viewStudyResults(s.fixture.researcher, { studyId: s.studyId });
    expect(view.results.computedAt).not.toBe("2026-01-01T00:00:00.000Z");
    expect(view.results.ranking).toBeNull(); // the current shape: a pairwise study has no ranking section
    expect(JSON.stringify(view.results.headlines)).not.toContain("an old sentence");
    // Stored over the old row, in the current format, and served from the row from now on.
    const row = await readSnapshot(s.studyId, "z");
    expect(row && JSON.parse(row.result).computedAt).toBe(view.results.computedAt);
    const again = await viewStudyResults(s.fixture.researcher, { studyId: s.studyId });
    expect(again.results.computedAt).toBe(view.results.computedAt);
  });

  it("after a new rating shows the stored result as updating, then the newer one once the job ran", async () => {
    const s = await study({ annotators: 3 });
    const n = await s.rate({ isSimulated: false, annotators: 2 });
    await viewStudyResults(s.fixture.researcher, { studyId: s.studyId });
    await rateByLast(s, 1);
    const stale = await viewStudyResults(s.fixture.researcher, { studyId: s.studyId });
    expect(stale.asOf).toMatchObject({ ratings: n, isUpdating: true, newerRatings: 1 });
    expect(stale.results.dataset.realRatings).toBe(n);
    expect(await waitingRefreshes(s.studyId)).toBe(1);

    expect(await runQueuedRefresh(s.studyId)).toEqual({ status: "SUCCEEDED" });
    const updated = await viewStudyResults(s.fixture.researcher, { studyId: s.studyId });
    expect(updated.asOf).toMatchObject({ ratings: n + 1, isUpdating: false });
    expect(updated.results.dataset.realRatings).toBe(n + 1);
    const fresh = await getStudyResults(s.fixture.researcher, { studyId: s.studyId });
    expect(figures(updated.results)).toEqual(figures(fresh));
  });

  it("makes one waiting job however many changes ask for it, and a new one once the job has started", async () => {
    const s = await study();
    await Promise.all(Array.from({ length: 50 }, () => queueResultsRefresh(s.studyId)));
    expect(await waitingRefreshes(s.studyId)).toBe(1);
    const earlier = await prisma.job.create({
      data: { type: JOB_TYPES.RESULTS.type, payload: { studyId: s.studyId }, status: "SUCCEEDED" },
      select: { id: true },
    });
    await runQueuedRefresh(s.studyId); // frees the key as it starts, and drops finished refreshes
    expect(await prisma.job.count({ where: { id: earlier.id } })).toBe(0);
    await queueResultsRefresh(s.studyId);
    await queueResultsRefresh(s.studyId);
    expect(await waitingRefreshes(s.studyId)).toBe(2); // the one run here is not claimed by a worker
  });

  it("lets a large study's last computation rest four times its length before the next refresh runs", async () => {
    const s = await study();
    await s.rate({ isSimulated: false });
    await viewStudyResults(s.fixture.researcher, { studyId: s.studyId }); // stores the z result
    const key = `${JOB_TYPES.RESULTS.type}:${s.studyId}`;
    const waitsFor = async () => {
      const [row] = await prisma.$queryRaw<{ seconds: number }[]>`
        SELECT extract(epoch FROM "runAfter" - now())::float8 AS seconds FROM "Job" WHERE "dedupeKey" = ${key}`;
      return row.seconds;
    };
    const dropWaiting = () => prisma.job.deleteMany({ where: { dedupeKey: key } });
    // A quick computation: the 3 s debounce alone.
    await dropWaiting();
    await queueResultsRefresh(s.studyId);
    expect(await waitsFor()).toBeCloseTo(RESULTS_REFRESH_DELAY_MS / 1000, 0);
    // The stored result took 2 s to compute and was stored just now: not before 8 s from now.
    await prisma.$executeRaw`
      UPDATE "StudyResultSnapshot" SET "computedAt" = now(), "inputsAt" = now() - interval '2 seconds'
      WHERE "studyId" = ${s.studyId}::uuid`;
    await dropWaiting();
    await queueResultsRefresh(s.studyId);
    expect(await waitsFor()).toBeGreaterThan(7.5);
    expect(await waitsFor()).toBeLessThan(8.5);
    // A refresh queued while a 2 s computation ran (from the result before it) is put back when it ends.
    await prisma.$executeRaw`
      UPDATE "StudyResultSnapshot" SET "computedAt" = now() - interval '1 minute', "inputsAt" = now() - interval '1 minute'
      WHERE "studyId" = ${s.studyId}::uuid`;
    await dropWaiting();
    await queueResultsRefresh(s.studyId);
    expect(await waitsFor()).toBeLessThan(3.5);
    await restResultsRefresh(s.studyId, 2000);
    expect(await waitsFor()).toBeGreaterThan(7.5);
    // Never earlier than it was, and a computation's length counts up to 15 s.
    await restResultsRefresh(s.studyId, 10);
    expect(await waitsFor()).toBeGreaterThan(7.5);
    await restResultsRefresh(s.studyId, 3_600_000);
    expect(await waitsFor()).toBeLessThan(RESULTS_REFRESH_REST_FACTOR * 15 + 1);
    expect(await waitsFor()).toBeGreaterThan(RESULTS_REFRESH_REST_FACTOR * 15 - 1);
  });

  it("never stores an older computation over a newer one, whichever finishes last", async () => {
    const s = await study({ annotators: 3 });
    const n = await s.rate({ isSimulated: false, annotators: 2 });
    const olderStamp = await readResultsStamp(s.studyId);
    const older = await getStudyResults(s.fixture.researcher, { studyId: s.studyId });
    await rateByLast(s, 1);
    const newer = await viewStudyResults(s.fixture.researcher, { studyId: s.studyId });
    expect(newer.asOf.ratings).toBe(n + 1);
    // The slower, older computation finishes now: it must not replace the newer row.
    const stored = await storeSnapshot({
      studyId: s.studyId,
      scale: "z",
      result: JSON.stringify(older),
      stamp: olderStamp,
    });
    expect(stored).toBe(false);
    const row = await readSnapshot(s.studyId, "z");
    expect(row?.ratingsCount).toBe(n + 1);
    const again = await viewStudyResults(s.fixture.researcher, { studyId: s.studyId });
    expect(again.asOf).toMatchObject({ ratings: n + 1, isUpdating: false });
  });

  it("an exclusion is audited, marks the stored result out of date and the refresh leaves the annotator out", async () => {
    const s = await study({ annotators: 3 });
    const n = await s.rate({ isSimulated: false, annotators: 3 });
    await viewStudyResults(s.fixture.researcher, { studyId: s.studyId });
    const excluded = s.fixture.annotators[2];
    await setParticipantPaused(s.fixture.researcher, {
      studyId: s.studyId,
      userId: excluded.id,
      isPaused: true,
      reason: "Excluded from the results: too fast",
    });
    const audit = await prisma.auditEvent.findFirst({
      where: { entityType: "study", entityId: s.studyId, action: "study.annotator" },
      select: { actorId: true, after: true },
    });
    expect(audit).toMatchObject({
      actorId: s.fixture.researcher.id,
      after: { annotator: excluded.id, isPaused: true },
    });
    const stale = await viewStudyResults(s.fixture.researcher, { studyId: s.studyId });
    expect(stale.asOf).toMatchObject({ isUpdating: true, newerRatings: 0 });
    expect(stale.results.dataset.excludedRatings).toBe(0);
    await runQueuedRefresh(s.studyId);
    const updated = await viewStudyResults(s.fixture.researcher, { studyId: s.studyId });
    expect(updated.asOf.isUpdating).toBe(false);
    expect(updated.results.dataset.excludedRatings).toBe(n / 3);
  });

  it("the use cases check study access themselves: another researcher gets no results, metrics or exports", async () => {
    const s = await study();
    await s.rate({ isSimulated: false, annotators: 2 });
    const stranger = await makeUser("RESEARCHER");
    users.push(stranger.id);
    const studyId = s.studyId;
    for (const call of [
      () => viewStudyResults(stranger, { studyId }),
      () => getStudyResults(stranger, { studyId }),
      () => getStudyMetrics(stranger, { studyId }),
      () => exportRatings(stranger, { studyId }),
      () => exportStudyResults(stranger, { studyId }),
    ])
      await expect(call()).rejects.toBeInstanceOf(NotFoundError);
    // The owner still can, and the export says what it is as of.
    const doc = await exportStudyResults(s.fixture.researcher, { studyId });
    expect(doc.document.asOf).toMatchObject({ ratings: 16, isUpdating: false });
  });

  it("tells the monitor each interval's current width and about how many more ratings would settle it", async () => {
    const s = await study({ items: 8, annotators: 3 });
    const n = await s.rate({ isSimulated: false, annotators: 3, studentScoreOf: (p) => 3 + (p % 3) });
    const { asOf, margin, rows } = await getSettlingProgress(s.fixture.researcher, { studyId: s.studyId });
    expect(asOf).toMatchObject({ ratings: n, isUpdating: false });
    expect(margin).toBe(0.05);
    const fresh = await getStudyResults(s.fixture.researcher, { studyId: s.studyId });
    expect(rows).toHaveLength(fresh.statistics.nonInferiority.length);
    const meaning = fresh.statistics.nonInferiority.find((x) => x.criterion === "meaning")!.result;
    const row = rows.find((r) => r.criterion === fresh.criteria.find((c) => c.key === "meaning")!.label)!;
    if (!meaning.ok) throw new Error(`expected a verdict on meaning: ${meaning.reason}`);
    expect(row).toMatchObject({ verdict: meaning.verdict, width: meaning.width, moreRatings: meaning.moreRatings });
    expect(row.width).toBeGreaterThan(0);
  });
});

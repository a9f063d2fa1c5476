import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { JOB_TYPES, RESULTS_REFRESH_DELAY_MS } from "@/lib/jobs";
import {
  claimedAssignment,
  liveStudy as liveStudyOf,
  makeStudyFixture,
  sameScores,
  type StudyFixture,
} from "@/prisma/testing/study-fixture";
import { acknowledgeInstructions, submitRating } from "@/lib/annotation";
import { expireLeases } from "./claim-sql";

// Enough connections for the racing statements to really run at the same moment.
process.env.DATABASE_POOL_SIZE = "12";

let f: StudyFixture;
beforeAll(async () => {
  f = await makeStudyFixture({ items: 12, students: 1, annotators: 2, idle: 10 });
}, 120_000);
afterAll(async () => f?.remove());

const liveStudy = (overrides: Record<string, unknown> = {}) => liveStudyOf(f, overrides);

describe("submitting a rating (one statement)", () => {
  it("five identical submits at once (a double click) all answer revision 1; three different ones at once become revisions 1, 2 and 3", async () => {
    const { studyId, versionId } = await liveStudy();
    const a = f.annotators[0];
    await acknowledgeInstructions(a, { studyId, instructionsVersionId: versionId });
    const first = await claimedAssignment(a, studyId);
    const input = { assignmentId: first, instructionsVersionId: versionId, preference: "LEFT" as const, activeMs: 10 };
    const same5 = await Promise.all(
      Array.from({ length: 5 }, () => submitRating(a, { ...input, scores: sameScores(4, 2) })),
    );
    expect(same5.map((r) => r.revision)).toEqual([1, 1, 1, 1, 1]);

    const second = await claimedAssignment(a, studyId);
    const three = await Promise.all(
      [1, 2, 3].map((n) => submitRating(a, { ...input, assignmentId: second, scores: sameScores(n, 5) })),
    );
    expect(three.map((r) => r.revision).sort()).toEqual([1, 2, 3]);
    const rows = await prisma.rating.findMany({
      where: { assignmentId: { in: [first, second] } },
      select: { assignmentId: true, revision: true, activeMs: true },
    });
    expect(rows.sort((x, y) => (x.assignmentId === first ? -1 : y.assignmentId === first ? 1 : 0))).toEqual([
      { assignmentId: first, revision: 1, activeMs: 10 },
      { assignmentId: second, revision: 3, activeMs: 30 },
    ]);
    const statuses = await prisma.assignment.findMany({
      where: { id: { in: [first, second] } },
      select: { status: true },
    });
    expect(statuses.map((s) => s.status)).toEqual(["SUBMITTED", "SUBMITTED"]);
  });

  it("a submit racing its lease's expiry either rates the item or is refused as expired, never both, and the slots stay counted right", async () => {
    const { studyId, versionId } = await liveStudy({ annotatorsPerPair: 1 });
    const a = f.annotators[1];
    await acknowledgeInstructions(a, { studyId, instructionsVersionId: versionId });
    const outcomes = { rated: 0, expired: 0 };
    for (let round = 0; round < 8; round++) {
      const id = await claimedAssignment(a, studyId);
      await prisma.assignment.update({ where: { id }, data: { leaseExpiresAt: new Date(Date.now() - 1000) } });
      const [submit] = await Promise.allSettled([
        submitRating(a, {
          assignmentId: id,
          instructionsVersionId: versionId,
          scores: sameScores(3, 3),
          preference: "TIE",
          activeMs: 1,
        }),
        expireLeases(studyId),
      ]);
      const row = await prisma.assignment.findUniqueOrThrow({
        where: { id },
        select: { status: true, rating: { select: { id: true } }, pair: { select: { takenCount: true } } },
      });
      if (submit.status === "fulfilled") {
        outcomes.rated++;
        expect(row).toMatchObject({ status: "SUBMITTED", pair: { takenCount: 1 } });
        expect(row.rating).not.toBeNull();
      } else {
        outcomes.expired++;
        expect(String(submit.reason)).toMatch(/time on this item ran out/);
        expect(row).toMatchObject({ status: "EXPIRED", rating: null, pair: { takenCount: 0 } });
      }
    }
    const part = await prisma.studyParticipant.findFirstOrThrow({
      where: { studyId, userId: a.id },
      select: { claimedCount: true },
    });
    expect(part.claimedCount).toBe(outcomes.rated);
    expect(await prisma.rating.count({ where: { studyId } })).toBe(outcomes.rated);
  });

  it("queues the study's results refresh in the same statement (one waiting job for many submits); an unchanged resubmit writes nothing", async () => {
    const { studyId, versionId } = await liveStudy();
    const a = f.annotators[0];
    await acknowledgeInstructions(a, { studyId, instructionsVersionId: versionId });
    const key = `${JOB_TYPES.RESULTS.type}:${studyId}`;
    expect(await prisma.job.count({ where: { dedupeKey: key } })).toBe(0);
    const input = (assignmentId: string) => ({
      assignmentId,
      instructionsVersionId: versionId,
      scores: sameScores(2, 4),
      preference: "RIGHT" as const,
      activeMs: 1,
    });
    const first = await claimedAssignment(a, studyId);
    const before = Date.now();
    await submitRating(a, input(first));
    await submitRating(a, input(await claimedAssignment(a, studyId)));
    const jobs = await prisma.job.findMany({
      where: { dedupeKey: key },
      select: { type: true, payload: true, status: true, runAfter: true },
    });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ type: JOB_TYPES.RESULTS.type, payload: { studyId }, status: "QUEUED" });
    expect(jobs[0].runAfter!.getTime()).toBeGreaterThan(before + RESULTS_REFRESH_DELAY_MS - 2000);
    // Once the worker has taken the job (its key released), an unchanged resubmit queues nothing.
    await prisma.job.updateMany({ where: { dedupeKey: key }, data: { dedupeKey: null } });
    expect((await submitRating(a, input(first))).revision).toBe(1);
    expect(await prisma.job.count({ where: { dedupeKey: key } })).toBe(0);
    await prisma.job.deleteMany({ where: { payload: { equals: { studyId } } } });
  });
});

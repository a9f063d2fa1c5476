import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import type { Actor } from "@/lib/auth/permissions";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import {
  DEFAULT_CRITERIA,
  editInstructions,
  getStudyMonitor,
  setParticipantPaused,
  setStudyStatus,
} from "@/lib/studies";
import {
  claimItem,
  liveStudy as liveStudyOf,
  makeStudyFixture,
  sameScores,
  type StudyFixture,
} from "@/prisma/testing/study-fixture";
import {
  acknowledgeInstructions,
  listMyStudies,
  getMyAssignment,
  getNextItem,
  getTaskOverview,
  renewLease,
  skipItem,
  submitRating,
  submitRatingAndNext,
  type ItemView,
  type NextResult,
} from "@/lib/annotation";

let f: StudyFixture;
beforeAll(async () => {
  // 9 idle participants: a launch refuses a design the participants cannot complete (one pair per
  // item per annotator, within the cap), so the tests' studies carry annotators who never rate.
  f = await makeStudyFixture({ items: 12, students: 1, annotators: 3, idle: 9 });
});
afterAll(async () => f?.remove());

const liveStudy = (overrides: Record<string, unknown> = {}) => liveStudyOf(f, overrides);

/** Moves a study's gold and attention pairs ahead of its regular pairs in the claim order (shuffleKey DESC). */
async function checksFirst(studyId: string) {
  await prisma.pair.updateMany({
    where: { studyId, kind: { in: ["GOLD", "ATTENTION"] } },
    data: { shuffleKey: { increment: 1 } },
  });
}

const item = claimItem;

type Answer = { scores: Record<string, { left: number; right: number }>; preference: "LEFT" | "TIE" | "RIGHT" };

/** Rates item after item until none is handed out; returns the items rated and the result that stopped it. */
async function rateUntilDone(
  actor: Actor,
  ids: { studyId: string; versionId: string },
  answer: (it: ItemView) => Answer | Promise<Answer> = () => ({ scores: sameScores(3, 3), preference: "TIE" }),
) {
  const rated: ItemView[] = [];
  for (;;) {
    const n = await getNextItem(actor, { studyId: ids.studyId });
    if (n.state !== "item") return { rated, last: n as NextResult };
    await submitRating(actor, {
      assignmentId: n.item.assignmentId,
      instructionsVersionId: ids.versionId,
      ...(await answer(n.item)),
      activeMs: 5,
    });
    rated.push(n.item);
  }
}

describe("getting items", () => {
  it("asks for the instructions first, then hands out an item and resumes it on return", async () => {
    const { studyId, versionId } = await liveStudy();
    const a = f.annotators[0];
    expect((await getNextItem(a, { studyId })).state).toBe("instructions");
    expect((await getTaskOverview(a, { studyId })).hasAcknowledged).toBe(false);
    await acknowledgeInstructions(a, { studyId, instructionsVersionId: versionId });
    await acknowledgeInstructions(a, { studyId, instructionsVersionId: versionId }); // once per version, twice is harmless
    const first = await item(a, studyId);
    expect(first.progress).toEqual({ done: 0, total: 12 });
    // Returning renews the lease of the unfinished item (a full lease from now)
    await prisma.assignment.update({
      where: { id: first.item.assignmentId },
      data: { leaseExpiresAt: new Date(Date.now() + 60_000) },
    });
    const again = await item(a, studyId);
    expect(again.item.assignmentId).toBe(first.item.assignmentId);
    expect(await prisma.assignment.count({ where: { annotatorId: a.id, pair: { studyId } } })).toBe(1);
    const lease = (
      await prisma.assignment.findUniqueOrThrow({
        where: { id: first.item.assignmentId },
        select: { leaseExpiresAt: true },
      })
    ).leaseExpiresAt;
    expect(lease.getTime()).toBeGreaterThan(Date.now() + 5 * 60_000);
  });

  it("sends nothing that names a system, an output or a pair", async () => {
    const { studyId, versionId } = await liveStudy();
    const a = f.annotators[1];
    await acknowledgeInstructions(a, { studyId, instructionsVersionId: versionId });
    const next = await item(a, studyId);
    const json = JSON.stringify([next, await getTaskOverview(a, { studyId })]);
    const pairs = await prisma.pair.findMany({ where: { studyId }, select: { id: true } });
    for (const secret of [
      f.teacher.id,
      f.teacher.name,
      ...f.students.flatMap((s) => [s.id, s.name]),
      ...f.outputIds,
      ...pairs.map((p) => p.id),
      f.tag + "-0",
    ])
      expect(json).not.toContain(secret);
    expect(Object.keys(next.item).sort()).toEqual(["assignmentId", "left", "rating", "right", "source"]);
  });

  it("is not found for someone who does not take part", async () => {
    const { studyId } = await liveStudy({ participantIds: [f.annotators[0].id], annotatorsPerPair: 1 });
    await expect(getNextItem(f.annotators[2], { studyId })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("stops at the per-annotator cap", async () => {
    const { studyId, versionId } = await liveStudy({ maxPairsPerAnnotator: 2 });
    const a = f.annotators[0];
    await acknowledgeInstructions(a, { studyId, instructionsVersionId: versionId });
    for (let i = 0; i < 2; i++) {
      const n = await item(a, studyId);
      await submitRating(a, {
        assignmentId: n.item.assignmentId,
        instructionsVersionId: versionId,
        scores: sameScores(3, 3),
        preference: "TIE",
        activeMs: 10,
      });
    }
    const done = await getNextItem(a, { studyId });
    expect(done).toMatchObject({ state: "done", progress: { done: 2, total: 2 } });
    if (done.state === "done") expect(done.message).toMatch(/as many items as this study asks/);
  });
});

describe("submitting", () => {
  it("with the next item in the reply: each time the item getNextItem would give, never one already rated, until done", async () => {
    const { studyId, versionId } = await liveStudy();
    const a = f.annotators[1];
    await acknowledgeInstructions(a, { studyId, instructionsVersionId: versionId });
    let n: NextResult = await getNextItem(a, { studyId });
    const rated = new Set<string>();
    const items = new Set<string>();
    while (n.state === "item") {
      expect(rated.has(n.item.assignmentId)).toBe(false);
      expect(items.has(n.item.source)).toBe(false); // never two pairs of one item for one annotator
      rated.add(n.item.assignmentId);
      items.add(n.item.source);
      const answer = { scores: sameScores(3, 3), preference: "TIE" as const, activeMs: 5 };
      const r = await submitRatingAndNext(a, {
        assignmentId: n.item.assignmentId,
        instructionsVersionId: versionId,
        ...answer,
      });
      expect(r).toMatchObject({ assignmentId: n.item.assignmentId, revision: 1 });
      // What a separate claim answers now is what the reply carried (the open item, resumed).
      if (r.next.state === "item") expect((await item(a, studyId)).item.assignmentId).toBe(r.next.item.assignmentId);
      n = r.next;
    }
    expect(n.state).toBe("done");
    expect(rated.size).toBeGreaterThan(1);
    const mine = { annotatorId: a.id, pair: { studyId } };
    expect(await prisma.assignment.count({ where: { ...mine, status: "ACTIVE" } })).toBe(0);
    expect(await prisma.rating.count({ where: { annotatorId: a.id, studyId } })).toBe(rated.size);
  });

  it("is idempotent, and a changed answer is the next revision of the one rating", async () => {
    const { studyId, versionId } = await liveStudy();
    const a = f.annotators[0];
    await acknowledgeInstructions(a, { studyId, instructionsVersionId: versionId });
    const { item: it1 } = await item(a, studyId);
    const input = {
      assignmentId: it1.assignmentId,
      instructionsVersionId: versionId,
      scores: sameScores(4, 2),
      preference: "LEFT" as const,
      activeMs: 1234,
    };
    const [r1, r2] = await Promise.all([submitRating(a, input), submitRating(a, input)]);
    expect([r1.revision, r2.revision]).toEqual([1, 1]);
    expect((await submitRating(a, input)).revision).toBe(1);
    expect((await submitRating(a, { ...input, preference: "RIGHT", activeMs: 100 })).revision).toBe(2);
    const ratings = await prisma.rating.findMany({
      where: { assignmentId: it1.assignmentId },
      select: { revision: true, preference: true, activeMs: true, instructionsVersionId: true, teacherOnLeft: true },
    });
    const assignment = await prisma.assignment.findUniqueOrThrow({
      where: { id: it1.assignmentId },
      select: { teacherOnLeft: true, status: true },
    });
    expect(ratings).toEqual([
      {
        revision: 2,
        preference: "RIGHT",
        activeMs: 1334,
        instructionsVersionId: versionId,
        teacherOnLeft: assignment.teacherOnLeft,
      },
    ]);
    expect(assignment.status).toBe("SUBMITTED");
    const revisit = await getMyAssignment(a, { assignmentId: it1.assignmentId });
    expect(revisit.rating).toMatchObject({ preference: "RIGHT", revision: 2 });
    // The next item is a different pair.
    expect((await item(a, studyId)).item.assignmentId).not.toBe(it1.assignmentId);
  });

  it("lets no one else open an annotator's earlier item and rating", async () => {
    const { studyId, versionId } = await liveStudy();
    const [a, b] = f.annotators;
    await acknowledgeInstructions(a, { studyId, instructionsVersionId: versionId });
    const { item: it1 } = await item(a, studyId);
    await submitRating(a, {
      assignmentId: it1.assignmentId,
      instructionsVersionId: versionId,
      scores: sameScores(4, 2),
      preference: "LEFT",
      activeMs: 1,
    });
    await expect(getMyAssignment(a, { assignmentId: it1.assignmentId })).resolves.toMatchObject({
      assignmentId: it1.assignmentId,
      rating: { preference: "LEFT" },
    });
    await expect(getMyAssignment(b, { assignmentId: it1.assignmentId })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("refuses missing criteria, someone else's item and unacknowledged instructions", async () => {
    const { studyId, versionId } = await liveStudy();
    const [a, b] = f.annotators;
    await acknowledgeInstructions(a, { studyId, instructionsVersionId: versionId });
    const { item: it1 } = await item(a, studyId);
    const { meaning, ...partial } = sameScores(3, 3);
    expect(meaning).toBeDefined();
    await expect(
      submitRating(a, {
        assignmentId: it1.assignmentId,
        instructionsVersionId: versionId,
        scores: partial,
        preference: "TIE",
        activeMs: 1,
      }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      submitRating(b, {
        assignmentId: it1.assignmentId,
        instructionsVersionId: versionId,
        scores: sameScores(3, 3),
        preference: "TIE",
        activeMs: 1,
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await prisma.instructionsAcknowledgement.deleteMany({ where: { userId: a.id, instructionsVersionId: versionId } });
    await expect(
      submitRating(a, {
        assignmentId: it1.assignmentId,
        instructionsVersionId: versionId,
        scores: sameScores(3, 3),
        preference: "TIE",
        activeMs: 1,
      }),
    ).rejects.toThrow(/acknowledge/);
  });
});

describe("instructions versions", () => {
  it("asks for the new version before the next item, and every rating keeps the version it was made under", async () => {
    const { studyId, versionId } = await liveStudy();
    const a = f.annotators[1];
    await acknowledgeInstructions(a, { studyId, instructionsVersionId: versionId });
    const { item: first } = await item(a, studyId);
    await submitRating(a, {
      assignmentId: first.assignmentId,
      instructionsVersionId: versionId,
      scores: sameScores(3, 3),
      preference: "TIE",
      activeMs: 1,
    });
    const v2 = await editInstructions(f.researcher, { studyId, markdown: "# Changed", criteria: DEFAULT_CRITERIA });
    expect((await getNextItem(a, { studyId })).state).toBe("instructions");
    const overview = await getTaskOverview(a, { studyId });
    expect(overview).toMatchObject({
      hasAcknowledged: false,
      instructions: { id: v2.id, version: 2, markdown: "# Changed" },
    });
    await acknowledgeInstructions(a, { studyId, instructionsVersionId: v2.id });
    const { item: second } = await item(a, studyId);
    await submitRating(a, {
      assignmentId: second.assignmentId,
      instructionsVersionId: v2.id,
      scores: sameScores(3, 3),
      preference: "TIE",
      activeMs: 1,
    });
    const versions = await prisma.rating.findMany({
      where: { studyId, annotatorId: a.id },
      select: { assignmentId: true, instructionsVersionId: true },
    });
    expect(Object.fromEntries(versions.map((r) => [r.assignmentId, r.instructionsVersionId]))).toEqual({
      [first.assignmentId]: versionId,
      [second.assignmentId]: v2.id,
    });
  });
});

describe("skipping, flagging and leases", () => {
  it("gives a skipped or flagged pair to someone else, and shows flags to researchers", async () => {
    const { studyId, versionId } = await liveStudy({
      annotatorsPerPair: 1,
      participantIds: [f.annotators[0].id, f.annotators[1].id],
    });
    const [a, b] = f.annotators;
    for (const x of [a, b]) await acknowledgeInstructions(x, { studyId, instructionsVersionId: versionId });
    const { item: it1 } = await item(a, studyId);
    await skipItem(a, { assignmentId: it1.assignmentId, action: "flag", reason: "The source is cut off" });
    await skipItem(a, { assignmentId: it1.assignmentId, action: "flag", reason: "The source is cut off" }); // repeated click
    await expect(skipItem(a, { assignmentId: it1.assignmentId, action: "skip", reason: "x" })).rejects.toBeInstanceOf(
      ConflictError,
    );
    const pairId = (
      await prisma.assignment.findUniqueOrThrow({ where: { id: it1.assignmentId }, select: { pairId: true } })
    ).pairId;
    expect(
      (await prisma.pair.findUniqueOrThrow({ where: { id: pairId }, select: { takenCount: true } })).takenCount,
    ).toBe(0);
    // b works through everything; the flagged pair is among b's items.
    const { rated } = await rateUntilDone(b, { studyId, versionId });
    const seen = (
      await prisma.assignment.findMany({
        where: { id: { in: rated.map((r) => r.assignmentId) } },
        select: { pairId: true },
      })
    ).map((x) => x.pairId);
    expect(seen).toContain(pairId);
    const monitor = await getStudyMonitor(f.researcher, { studyId });
    expect(monitor.flags).toEqual([expect.objectContaining({ reason: "The source is cut off" })]);
    expect(monitor.completePairs).toBe(monitor.pairs);
  });

  it("returns an abandoned item to the pool when its lease expires", async () => {
    // 12 pairs at a cap of 1 need 12 participants (the idle ones too); two of them work.
    const { studyId, versionId } = await liveStudy({ annotatorsPerPair: 1, maxPairsPerAnnotator: 1 });
    const [a, b] = f.annotators;
    for (const x of [a, b]) await acknowledgeInstructions(x, { studyId, instructionsVersionId: versionId });
    const { item: abandoned } = await item(a, studyId);
    // Working on it renews the lease; someone else cannot renew it.
    await prisma.assignment.update({
      where: { id: abandoned.assignmentId },
      data: { leaseExpiresAt: new Date(Date.now() + 1000) },
    });
    expect(await renewLease(a, { assignmentId: abandoned.assignmentId })).toEqual({ isRenewed: true });
    expect(await renewLease(b, { assignmentId: abandoned.assignmentId })).toEqual({ isRenewed: false });
    const lease = (
      await prisma.assignment.findUniqueOrThrow({
        where: { id: abandoned.assignmentId },
        select: { leaseExpiresAt: true },
      })
    ).leaseExpiresAt;
    expect(lease.getTime()).toBeGreaterThan(Date.now() + 29 * 60_000);
    await prisma.assignment.update({
      where: { id: abandoned.assignmentId },
      data: { leaseExpiresAt: new Date(Date.now() - 1000) },
    });
    // The cap of 1 is free again for a, and the pair is free again for anyone.
    const next = await getNextItem(b, { studyId });
    expect(next.state).toBe("item");
    expect(
      (await prisma.assignment.findUniqueOrThrow({ where: { id: abandoned.assignmentId }, select: { status: true } }))
        .status,
    ).toBe("EXPIRED");
    await expect(
      submitRating(a, {
        assignmentId: abandoned.assignmentId,
        instructionsVersionId: versionId,
        scores: sameScores(3, 3),
        preference: "TIE",
        activeMs: 1,
      }),
    ).rejects.toThrow(/time on this item ran out/);
    expect(await renewLease(a, { assignmentId: abandoned.assignmentId })).toEqual({ isRenewed: false });
    expect((await getNextItem(a, { studyId })).state).toBe("item");
  });
});

describe("quality control", () => {
  it("pauses an annotator whose gold accuracy falls below the threshold after 5 gold answers", async () => {
    const { studyId, versionId } = await liveStudy({
      annotatorsPerPair: 1,
      // An item with a gold pair has two pairs: a second annotator (who never rates) completes the design.
      participantIds: [f.annotators[2].id, f.idle[0].id],
      goldShare: 0.5,
      minGoldAccuracy: 0.8,
    });
    const a = f.annotators[2];
    // An annotator gets one pair of each item, so of the 12 items about half come as gold: put the
    // gold pairs first in the claim order so that 5 gold answers come before the items run out.
    await checksFirst(studyId);
    await acknowledgeInstructions(a, { studyId, instructionsVersionId: versionId });
    // A careless annotator: everything 5, always a tie, so every gold answer is wrong.
    const { rated, last } = await rateUntilDone(a, { studyId, versionId }, () => ({
      scores: sameScores(5, 5),
      preference: "TIE",
    }));
    expect(last.state).toBe("paused");
    const answered = rated.length;
    const q = (await getStudyMonitor(f.researcher, { studyId })).annotators.find((x) => x.userId === a.id)!;
    expect(q).toMatchObject({ isPaused: true, goldAnswered: 5, goldCorrect: 0, goldAccuracy: 0 });
    expect(q.pausedReason).toMatch(/Gold accuracy 0\/5/);
    // Paused at the fifth gold answer, not after the study ran out.
    expect(answered).toBe(5);
    await setParticipantPaused(f.researcher, { studyId, userId: a.id, isPaused: false });
    expect((await getNextItem(a, { studyId })).state).toBe("item");
  });

  it("scores each annotator's gold and attention answers as their own on the researchers' monitor", async () => {
    const { studyId, versionId } = await liveStudy({
      annotatorsPerPair: 1,
      participantIds: [f.annotators[0].id, f.annotators[1].id],
      goldShare: 0.25,
      attentionShare: 0.25,
    });
    const [a, b] = f.annotators;
    await checksFirst(studyId);
    for (const x of [a, b]) await acknowledgeInstructions(x, { studyId, instructionsVersionId: versionId });
    // a answers every check as expected (the shown text gets 1 everywhere, the teacher is preferred); b ties with 5s.
    const careful = async (it: ItemView): Promise<Answer> => {
      const { teacherOnLeft } = await prisma.assignment.findUniqueOrThrow({
        where: { id: it.assignmentId },
        select: { teacherOnLeft: true },
      });
      return {
        scores: teacherOnLeft ? sameScores(5, 1) : sameScores(1, 5),
        preference: teacherOnLeft ? "LEFT" : "RIGHT",
      };
    };
    for (let i = 0; i < 6; i++) {
      for (const [who, answer] of [
        [a, careful],
        [b, () => ({ scores: sameScores(5, 5), preference: "TIE" as const })],
      ] as const) {
        const n = await item(who, studyId);
        await submitRating(who, {
          assignmentId: n.item.assignmentId,
          instructionsVersionId: versionId,
          ...(await answer(n.item)),
          activeMs: 5,
        });
      }
    }
    const checks = async (who: Actor, kind: "GOLD" | "ATTENTION") =>
      prisma.rating.count({ where: { studyId, annotatorId: who.id, pair: { kind } } });
    const monitor = await getStudyMonitor(f.researcher, { studyId });
    const qa = monitor.annotators.find((x) => x.userId === a.id)!;
    const qb = monitor.annotators.find((x) => x.userId === b.id)!;
    expect(qa).toMatchObject({
      goldAnswered: await checks(a, "GOLD"),
      goldCorrect: await checks(a, "GOLD"),
      attentionAnswered: await checks(a, "ATTENTION"),
      attentionCorrect: await checks(a, "ATTENTION"),
    });
    expect(qb).toMatchObject({
      goldAnswered: await checks(b, "GOLD"),
      goldCorrect: 0,
      attentionAnswered: await checks(b, "ATTENTION"),
      attentionCorrect: 0,
    });
    // The 12 checks come first in the claim order, so each annotator's first item is a check (a gold and
    // an attention check may share an item, so later ones can be regular pairs).
    expect(qa.goldAnswered + qa.attentionAnswered).toBeGreaterThan(0);
    expect(qb.goldAnswered + qb.attentionAnswered).toBeGreaterThan(0);
  });

  it("gives no items while the study is paused or after it closed", async () => {
    const { studyId, versionId } = await liveStudy();
    const a = f.annotators[0];
    await acknowledgeInstructions(a, { studyId, instructionsVersionId: versionId });
    await setStudyStatus(f.researcher, { studyId, status: "PAUSED" });
    expect((await getNextItem(a, { studyId })).state).toBe("study-paused");
    await setStudyStatus(f.researcher, { studyId, status: "CLOSED" });
    expect((await getNextItem(a, { studyId })).state).toBe("closed");
  });
});

describe("item order", () => {
  it("gives an annotator every item once and never a second time (blind by construction)", async () => {
    // 12 items x 1 student + 6 gold + 6 attention: 24 pairs over 12 items.
    const { studyId, versionId } = await liveStudy({
      annotatorsPerPair: 1,
      // Two pairs per item: the second annotator takes the other 12 (not rated here).
      participantIds: [f.annotators[0].id, f.annotators[1].id],
      goldShare: 0.25,
      attentionShare: 0.25,
    });
    const a = f.annotators[0];
    await acknowledgeInstructions(a, { studyId, instructionsVersionId: versionId });
    const { rated, last } = await rateUntilDone(a, { studyId, versionId });
    const sources = rated.map((r) => r.source);
    // The other 12 pairs stay for other annotators: a second pair of an item would name the teacher's side.
    expect(sources).toHaveLength(12);
    expect(new Set(sources).size).toBe(12);
    expect(last.state).toBe("done");
  });
});

describe("my tasks", () => {
  it("counts each study's submitted items separately", async () => {
    const a = f.annotators[2];
    const one = await liveStudy();
    const two = await liveStudy();
    await acknowledgeInstructions(a, { studyId: one.studyId, instructionsVersionId: one.versionId });
    for (let i = 0; i < 2; i++) {
      const n = await item(a, one.studyId);
      await submitRating(a, {
        assignmentId: n.item.assignmentId,
        instructionsVersionId: one.versionId,
        scores: sameScores(4, 2),
        preference: "LEFT",
        activeMs: 10,
      });
    }
    const mine = await listMyStudies(a);
    expect(mine.find((m) => m.studyId === one.studyId)?.done).toBe(2);
    expect(mine.find((m) => m.studyId === two.studyId)?.done).toBe(0);
  });
});

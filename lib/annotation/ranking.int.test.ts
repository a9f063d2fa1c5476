import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { createStudy, launchStudy, DEFAULT_CRITERIA } from "@/lib/studies";
import { makeStudyFixture, studyInput, type StudyFixture } from "@/prisma/testing/study-fixture";
import { acknowledgeInstructions, getNextItem, renewScreenLease, skipScreen, submitRanking } from "@/lib/annotation";
import type { Actor } from "@/lib/auth/permissions";
import { exportRatings, getRankingSummary, viewStudyResults } from "@/lib/results";

// More connections than the default 5, so the claims really run at the same moment.
process.env.DATABASE_POOL_SIZE = "30";

const keys = DEFAULT_CRITERIA.map((c) => c.key);
const answers = (n: number, rank: (i: number) => number, score: (i: number) => number = () => 3) =>
  Array.from({ length: n }, (_, i) => ({ scores: Object.fromEntries(keys.map((k) => [k, score(i)])), rank: rank(i) }));

async function startRanking(f: StudyFixture, overrides: Record<string, unknown> = {}) {
  const { id } = await createStudy(
    f.researcher,
    studyInput(f, { design: "RANKING", goldShare: 0, attentionShare: 0, ...overrides }),
  );
  await launchStudy(f.researcher, { studyId: id });
  const version = await prisma.instructionsVersion.findFirstOrThrow({ where: { studyId: id }, select: { id: true } });
  for (const a of [...f.annotators, ...f.idle])
    await acknowledgeInstructions(a, { studyId: id, instructionsVersionId: version.id });
  return { studyId: id, versionId: version.id };
}

async function screen(a: Actor, studyId: string) {
  const next = await getNextItem(a, { studyId });
  if (next.state !== "screen") throw new Error(`expected a screen, got ${next.state}`);
  return next;
}

describe("ranking studies under concurrency", () => {
  const K = 2;
  let f: StudyFixture;
  let s: { studyId: string; versionId: string };
  beforeAll(async () => {
    // 12 sources x 3 students = 36 pairs, k = 2 -> 24 screens for 20 annotators.
    f = await makeStudyFixture({ items: 12, students: 3, annotators: 20 });
    s = await startRanking(f, { annotatorsPerPair: K });
  }, 120_000);
  afterAll(async () => f?.remove());

  it("20 annotators claiming at once: each gets all pairs of one source, no source over k, nobody a source twice", async () => {
    const first = await Promise.all(f.annotators.map((a) => screen(a, s.studyId)));
    expect(new Set(first.map((n) => n.screen.screenId)).size).toBe(20);
    for (const n of first) expect(n.screen.texts.map((t) => t.label)).toEqual(["Text A", "Text B", "Text C", "Text D"]);
    // Asking again resumes the open screen instead of opening a second one.
    const again = await Promise.all(f.annotators.slice(0, 5).map((a) => screen(a, s.studyId)));
    expect(again.map((n) => n.screen.screenId)).toEqual(first.slice(0, 5).map((n) => n.screen.screenId));
    const pairs = await prisma.pair.findMany({ where: { studyId: s.studyId }, select: { takenCount: true } });
    expect(Math.max(...pairs.map((p) => p.takenCount))).toBeLessThanOrEqual(K);

    // Everyone submits and claims on until nothing is left; every other submit is sent twice at once.
    await Promise.all(
      f.annotators.map(async (a, idx) => {
        let next = first[idx];
        for (let i = 0; i < 20; i++) {
          const submit = () =>
            submitRanking(a, {
              screenId: next.screen.screenId,
              instructionsVersionId: s.versionId,
              texts: answers(4, (t) => t + 1),
              activeMs: 4000,
            });
          await (i % 2 ? Promise.all([submit(), submit()]) : submit());
          const n = await getNextItem(a, { studyId: s.studyId });
          if (n.state !== "screen") break;
          next = n;
        }
      }),
    );

    const all = await prisma.pair.findMany({
      where: { studyId: s.studyId },
      select: { itemId: true, takenCount: true, ratings: { select: { annotatorId: true, revision: true } } },
    });
    expect(all).toHaveLength(36);
    for (const p of all) {
      expect(p.takenCount).toBe(K);
      expect(p.ratings).toHaveLength(K);
      expect(new Set(p.ratings.map((r) => r.annotatorId)).size).toBe(K);
      expect(p.ratings.every((r) => r.revision === 1)).toBe(true);
    }
    // Whole screens only: every (annotator, source) has all 3 pairs or none, on one screen.
    const screens = await prisma.rankingScreen.findMany({
      where: { studyId: s.studyId },
      select: { annotatorId: true, itemId: true, submittedAt: true, _count: { select: { assignments: true } } },
    });
    expect(screens).toHaveLength(12 * K);
    expect(screens.every((x) => x._count.assignments === 3 && x.submittedAt)).toBe(true);
    expect(new Set(screens.map((x) => `${x.annotatorId}:${x.itemId}`)).size).toBe(screens.length);
    const participants = await prisma.studyParticipant.findMany({
      where: { studyId: s.studyId },
      select: { userId: true, claimedCount: true },
    });
    for (const p of participants)
      expect(p.claimedCount).toBe(3 * screens.filter((x) => x.annotatorId === p.userId).length);
  }, 120_000);
});

describe("ranking screens", () => {
  let f: StudyFixture;
  beforeAll(async () => {
    f = await makeStudyFixture({ items: 3, students: 2, annotators: 3 });
  }, 60_000);
  afterAll(async () => f?.remove());

  it("a submit writes one rating per pair, teacher vs that student, with their scores and a preference from the ranks", async () => {
    const s = await startRanking(f, { name: `${f.tag} derive`, annotatorsPerPair: 1 });
    const [a] = f.annotators;
    const next = await screen(a, s.studyId);
    // Blind: nothing the browser gets but the texts themselves (which here say whose they are)
    // names a system, a pair or the teacher.
    const json = JSON.stringify({ ...next, screen: { ...next.screen, texts: next.screen.texts.map((t) => t.label) } });
    for (const name of [f.teacher.name, ...f.students.map((x) => x.name), "teacher", "TEACHER"])
      expect(json).not.toContain(name);
    expect(next.screen.texts.every((t) => Object.keys(t).join() === "label,text")).toBe(true);
    const scr = await prisma.rankingScreen.findUniqueOrThrow({
      where: { id: next.screen.screenId },
      select: { shownOrder: true },
    });
    const order = scr.shownOrder as (string | null)[];
    expect(order.filter((x) => x === null)).toHaveLength(1);
    // Text i gets score i + 1 on every criterion; ranks: the first two texts tie for best, the third is last.
    const ranks = [1, 1, 2];
    await submitRanking(a, {
      screenId: next.screen.screenId,
      instructionsVersionId: s.versionId,
      texts: answers(
        3,
        (i) => ranks[i],
        (i) => i + 1,
      ),
      activeMs: 3000,
    });
    const ratings = await prisma.rating.findMany({
      where: { studyId: s.studyId },
      select: { pairId: true, teacherOnLeft: true, scores: true, preference: true, activeMs: true },
    });
    expect(ratings).toHaveLength(2);
    const t = order.indexOf(null);
    for (const r of ratings) {
      const st = order.indexOf(r.pairId);
      const [left, right] = t < st ? [t, st] : [st, t];
      expect(r.teacherOnLeft).toBe(t < st);
      expect(r.scores).toEqual(Object.fromEntries(keys.map((k) => [k, { left: left + 1, right: right + 1 }])));
      expect(r.preference).toBe(ranks[left] === ranks[right] ? "TIE" : "LEFT");
      expect(r.activeMs).toBe(1500);
    }
    const stored = await prisma.rankingScreen.findUniqueOrThrow({
      where: { id: next.screen.screenId },
      select: { ranks: true, submittedAt: true },
    });
    // Stored as competition ranks: 1, 1, 3.
    expect(stored.ranks).toEqual([1, 1, 3]);
    // The export carries the ranking, and its two rows share the screen's id.
    const csv = await new Response(
      (await exportRatings(f.researcher, { studyId: s.studyId, format: "csv" })).body,
    ).text();
    const [header, ...lines] = csv.trim().split(/\r?\n/);
    expect(header.endsWith(",screen_id,screen_texts,teacher_rank,student_rank")).toBe(true);
    expect(lines).toHaveLength(2);
    const stdRank = (pairId: string) => [1, 1, 3][order.indexOf(pairId)];
    const tRank = [1, 1, 3][t];
    for (const line of lines) {
      const cells = line.split(",");
      expect(cells.slice(-4, -2)).toEqual([next.screen.screenId, "3"]);
      expect(Number(cells.at(-2))).toBe(tRank);
      expect([1, 3]).toContain(Number(cells.at(-1)));
    }
    expect(lines.map((l) => Number(l.split(",").at(-1))).sort()).toEqual(ratings.map((r) => stdRank(r.pairId)).sort());
    // The results' ranking section reads the same screen.
    const summary = await getRankingSummary(f.researcher, { studyId: s.studyId });
    expect(summary).toMatchObject({ screens: 1, sources: 1, textsPerScreen: 3 });
    expect(summary!.systems.find((x) => x.isTeacher)?.meanRank.estimate).toBe(tRank);
    // Stored with the rest of the results (the page and the JSON export read it from the snapshot).
    const viewed = await viewStudyResults(f.researcher, { studyId: s.studyId });
    expect(viewed.results.ranking).toEqual(summary);
    // A screen with a missing rank or criterion is refused.
    const other = await screen(a, s.studyId);
    await expect(
      submitRanking(a, {
        screenId: other.screen.screenId,
        instructionsVersionId: s.versionId,
        texts: answers(2, (i) => i + 1),
        activeMs: 10,
      }),
    ).rejects.toThrow(/all 3 texts/);
    // Someone else's screen does not exist for them.
    await expect(
      submitRanking(f.annotators[1], {
        screenId: other.screen.screenId,
        instructionsVersionId: s.versionId,
        texts: answers(3, (i) => i + 1),
        activeMs: 10,
      }),
    ).rejects.toThrow(/No such item/);
  }, 60_000);

  it("lease expiry gives the whole screen back; its annotator never sees that source again", async () => {
    const s = await startRanking(f, { name: `${f.tag} lease`, annotatorsPerPair: 1 });
    const [a, b] = f.annotators;
    const mine = await screen(a, s.studyId);
    const { itemId } = await prisma.rankingScreen.findUniqueOrThrow({
      where: { id: mine.screen.screenId },
      select: { itemId: true },
    });
    expect((await renewScreenLease(a, { screenId: mine.screen.screenId })).isRenewed).toBe(true);
    await prisma.assignment.updateMany({
      where: { screenId: mine.screen.screenId },
      data: { leaseExpiresAt: new Date(Date.now() - 60_000) },
    });
    await getNextItem(b, { studyId: s.studyId }); // runs the expiry
    const after = await prisma.assignment.findMany({
      where: { screenId: mine.screen.screenId },
      select: { status: true, pair: { select: { takenCount: true } } },
    });
    expect(after.map((x) => x.status)).toEqual(["EXPIRED", "EXPIRED"]);
    await expect(
      submitRanking(a, {
        screenId: mine.screen.screenId,
        instructionsVersionId: s.versionId,
        texts: answers(3, (i) => i + 1),
        activeMs: 10,
      }),
    ).rejects.toThrow(/ran out/);
    expect((await renewScreenLease(a, { screenId: mine.screen.screenId })).isRenewed).toBe(false);
    // a works through the rest: the expired source is not among them.
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) {
      const n = await getNextItem(a, { studyId: s.studyId });
      if (n.state !== "screen") break;
      seen.push(
        (await prisma.rankingScreen.findUniqueOrThrow({ where: { id: n.screen.screenId }, select: { itemId: true } }))
          .itemId,
      );
      await skipScreen(a, { screenId: n.screen.screenId, action: "skip", reason: "testing" });
    }
    expect(seen).not.toContain(itemId);
    expect(seen.length).toBeGreaterThan(0);
    // Skips gave their slots back too: only b's open screen holds pairs now.
    const taken = await prisma.pair.aggregate({ where: { studyId: s.studyId }, _sum: { takenCount: true } });
    expect(taken._sum.takenCount).toBe(2);
    const part = await prisma.studyParticipant.findFirstOrThrow({
      where: { studyId: s.studyId, userId: a.id },
      select: { claimedCount: true },
    });
    expect(part.claimedCount).toBe(0);
  }, 60_000);

  it("refuses to launch a ranking study that takes external participants", async () => {
    const { id } = await createStudy(
      f.researcher,
      studyInput(f, { name: `${f.tag} crowd`, design: "RANKING", goldShare: 0, attentionShare: 0 }),
    );
    await prisma.study.update({ where: { id }, data: { crowdToken: `tok-${f.tag}`, crowdSettings: {} } });
    await expect(launchStudy(f.researcher, { studyId: id })).rejects.toThrow(/cannot take external participants/);
    // And gold or attention checks are refused when the study is made.
    await expect(
      createStudy(f.researcher, studyInput(f, { name: `${f.tag} gold`, design: "RANKING", goldShare: 0.1 })),
    ).rejects.toThrow(/no gold or attention checks/);
  }, 60_000);

  it("the cap counts pairs: a cap of 3 with 2 students per screen allows one screen", async () => {
    const s = await startRanking(f, { name: `${f.tag} cap`, annotatorsPerPair: 1, maxPairsPerAnnotator: 3 });
    const [, , c] = f.annotators;
    const first = await screen(c, s.studyId);
    expect(first.progress).toEqual({ done: 0, total: 1 });
    await submitRanking(c, {
      screenId: first.screen.screenId,
      instructionsVersionId: s.versionId,
      texts: answers(3, (i) => 3 - i),
      activeMs: 10,
    });
    const next = await getNextItem(c, { studyId: s.studyId });
    expect(next.state).toBe("done");
    expect(next.progress).toEqual({ done: 1, total: 1 });
  }, 60_000);
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import type { Actor } from "@/lib/auth/permissions";
import { createStudy, launchStudy, DEFAULT_CRITERIA } from "@/lib/studies";
import {
  liveStudy as liveStudyOf,
  makeStudyFixture,
  studyInput,
  type StudyFixture,
} from "@/prisma/testing/study-fixture";
import { getNextItem, submitRating } from "@/lib/annotation";
import { claimNextPair } from "./claim-sql";
import { progressOf } from "./progress";

// Several claims of one person must really run at the same moment.
process.env.DATABASE_POOL_SIZE = "20";

let f: StudyFixture;
beforeAll(async () => {
  // 8 items x 3 students = 24 pairs: an item has three pairs, so "two pairs of one item" can happen.
  // 6 idle participants: k = 3 over three students needs 9 annotators for the design to be completable.
  f = await makeStudyFixture({ items: 8, students: 3, annotators: 3, idle: 6 });
}, 120_000);
afterAll(async () => f?.remove());

const scores = Object.fromEntries(DEFAULT_CRITERIA.map((c) => [c.key, { left: 3, right: 4 }]));

const liveStudy = (overrides: Record<string, unknown> = {}) => liveStudyOf(f, overrides, f.annotators);

async function itemsSeenBy(studyId: string, annotatorId: string) {
  const rows = await prisma.assignment.findMany({
    where: { annotatorId, pair: { studyId } },
    select: { status: true, pair: { select: { itemId: true } } },
  });
  return rows;
}

/** Rounds of four next calls at once by one person: each round all four get one item, the only open one, then rated. */
async function claimAtOnceAndRate(a: Actor, study: { studyId: string; versionId: string }, rounds: number) {
  const { studyId, versionId } = study;
  for (let round = 0; round < rounds; round++) {
    const results = await Promise.all([0, 1, 2, 3].map(() => getNextItem(a, { studyId })));
    const ids = results.map((r) => (r.state === "item" ? r.item.assignmentId : r.state));
    expect(new Set(ids).size, `round ${round}: ${ids.join(", ")}`).toBe(1);
    expect(await prisma.assignment.count({ where: { annotatorId: a.id, status: "ACTIVE", pair: { studyId } } })).toBe(
      1,
    );
    await submitRating(a, {
      assignmentId: ids[0],
      instructionsVersionId: versionId,
      scores,
      preference: "TIE",
      activeMs: 5,
    });
  }
}

describe("one open item per annotator", () => {
  it("four next calls at once, five rounds: all four get the same item, and only one assignment is open", async () => {
    const { studyId, versionId } = await liveStudy({ annotatorsPerPair: 3 });
    const a = f.annotators[0];
    await claimAtOnceAndRate(a, { studyId, versionId }, 5);
  });
  it("k = 1, four next calls at once, eight rounds: the pair one call fills is never a reason for another to open a second item", async () => {
    // With k = 1 the first claim fills its pair, so a claim that waited for it moves on to the next
    // pair: only a claim that sees the first one's item (a snapshot taken after it) resumes it.
    const { studyId, versionId } = await liveStudy({ annotatorsPerPair: 1 });
    const a = f.annotators[2];
    await claimAtOnceAndRate(a, { studyId, versionId }, 8);
    const seen = await itemsSeenBy(studyId, a.id);
    expect(new Set(seen.map((s) => s.pair.itemId)).size).toBe(seen.length);
  });
});

describe("never two pairs of one item for one annotator", () => {
  it("rating until nothing is left: one pair of each item, never a second (k = 1, no cap)", async () => {
    const { studyId, versionId } = await liveStudy({ annotatorsPerPair: 1 });
    const a = f.annotators[1];
    for (let i = 0; i < 30; i++) {
      const n = await getNextItem(a, { studyId });
      if (n.state !== "item") break;
      await submitRating(a, {
        assignmentId: n.item.assignmentId,
        instructionsVersionId: versionId,
        scores,
        preference: "TIE",
        activeMs: 5,
      });
    }
    const seen = await itemsSeenBy(studyId, a.id);
    expect(seen).toHaveLength(8);
    expect(new Set(seen.map((s) => s.pair.itemId)).size).toBe(8);
  });

  it("holds under concurrency: three annotators, each with three tabs, never get two pairs of one item", async () => {
    const { studyId, versionId } = await liveStudy({ annotatorsPerPair: 2 });
    const work = async (a: Actor) => {
      for (let i = 0; i < 30; i++) {
        const n = await getNextItem(a, { studyId });
        if (n.state !== "item") return;
        await submitRating(a, {
          assignmentId: n.item.assignmentId,
          instructionsVersionId: versionId,
          scores,
          preference: "TIE",
          activeMs: 5,
        }).catch(() => undefined); // another tab may have submitted it a moment ago
      }
    };
    await Promise.all(f.annotators.flatMap((a) => [work(a), work(a), work(a)]));
    for (const a of f.annotators) {
      const seen = await itemsSeenBy(studyId, a.id);
      expect(seen.length).toBeGreaterThan(0);
      expect(new Set(seen.map((s) => s.pair.itemId)).size, `annotator ${a.id}`).toBe(seen.length);
    }
    // 24 pairs x k = 2 = 48 slots, but one annotator can take only 8 (one per item): 3 x 8 = 24 ratings.
    expect(await prisma.rating.count({ where: { studyId } })).toBe(24);
  });
});

describe("a claim's cost does not grow with the study", () => {
  let big: StudyFixture;
  beforeAll(async () => {
    big = await makeStudyFixture({ items: 600, students: 3, annotators: 1, idle: 2 });
  }, 300_000);
  afterAll(async () => big?.remove());

  it("a claim in a study of 1,800 pairs reads a few dozen pair rows, not all of them", async () => {
    // As on a server that has run a while: the planner's statistics know the other studies' pairs
    // but not this one's, which the launch adds all at once (without a fresh ANALYZE the planner
    // then reads every pair of the study per claim: 1,802 rows in a full test run).
    await prisma.$executeRaw`ANALYZE "Pair"`;
    const { id: studyId } = await createStudy(big.researcher, studyInput(big, { annotatorsPerPair: 1 }));
    await launchStudy(big.researcher, { studyId });
    expect(await prisma.pair.count({ where: { studyId } })).toBe(1800);
    const userId = big.annotators[0].id;
    // Counters of the current transaction only, so nothing else on the server disturbs them.
    const tuples = await prisma.$transaction(async (tx) => {
      const measure = async () =>
        Number(
          (
            await tx.$queryRaw<{ n: bigint }[]>`
          SELECT (coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0))::bigint AS n
          FROM pg_stat_xact_user_tables WHERE relname = 'Pair'`
          )[0]?.n ?? 0,
        );
      const counts: number[] = [];
      // 12 claims on one connection: past the five custom plans, Postgres may keep a generic
      // plan of the prepared claim statement, which must walk the same index.
      for (let i = 0; i < 12; i++) {
        const before = await measure();
        const id = await claimNextPair({ studyId, userId }, tx);
        expect(id).not.toBeNull();
        counts.push((await measure()) - before);
        await tx.$executeRaw`UPDATE "Assignment" SET "status" = 'SUBMITTED' WHERE "id" = ${id}::uuid`;
      }
      return counts;
    });
    for (const n of tuples) expect(n, `pair rows read per claim: ${tuples.join(", ")}`).toBeLessThan(60);
  }, 120_000);

  it("the progress shown with each item does not read the study's pairs on every claim, and stays exact when small", async () => {
    await prisma.$executeRaw`ANALYZE "Pair"`;
    const { id: studyId } = await createStudy(
      big.researcher,
      studyInput(big, { annotatorsPerPair: 1, name: `${big.tag} progress` }),
    );
    await launchStudy(big.researcher, { studyId });
    const userId = big.annotators[0].id;
    const read = await prisma.$transaction(async (tx) => {
      const measure = async () =>
        Number(
          (
            await tx.$queryRaw<{ n: bigint }[]>`
          SELECT (coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0))::bigint AS n
          FROM pg_stat_xact_user_tables WHERE relname = 'Pair'`
          )[0]?.n ?? 0,
        );
      // Without a cap every open item counts: 600 items, one pair each for this person.
      const first = await progressOf({ studyId, userId, k: 1, cap: null, fresh: true }, tx);
      const rows: number[] = [];
      const later = [];
      for (let i = 0; i < 3; i++) {
        const before = await measure();
        later.push(await progressOf({ studyId, userId, k: 1, cap: null }, tx));
        rows.push((await measure()) - before);
      }
      // With a cap of 10 the walk stops once 10 open items are certain.
      const before = await measure();
      const capped = await progressOf({ studyId, userId, k: 1, cap: 10, fresh: true }, tx);
      return { first, later, rows, capped, cappedRows: (await measure()) - before };
    });
    expect(read.first).toEqual({ done: 0, total: 600 });
    for (const p of read.later) expect(p).toEqual({ done: 0, total: 600 });
    for (const n of read.rows) expect(n, `pair rows read per progress: ${read.rows.join(", ")}`).toBeLessThan(60);
    expect(read.capped).toEqual({ done: 0, total: 10 });
    expect(read.cappedRows).toBeLessThan(150);
  }, 120_000);
});

import { afterAll, beforeAll, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { createStudy, launchStudy, DEFAULT_CRITERIA } from "@/lib/studies";
import { makeStudyFixture, studyInput, type StudyFixture } from "@/prisma/testing/study-fixture";
import { acknowledgeInstructions, getNextItem, submitRating } from "@/lib/annotation";

// More connections than the default 5, so many claims really run at the same moment (the
// client is created on first use, after this line).
process.env.DATABASE_POOL_SIZE = "30";

const K = 3;
const CAP = 8;
let f: StudyFixture;
let studyId: string;

beforeAll(async () => {
  // 40 items x 2 students = 80 pairs, k = 3 -> 240 ratings; 50 annotators x cap 8 = 400 slots.
  f = await makeStudyFixture({ items: 40, students: 2, annotators: 50 });
  studyId = (await createStudy(f.researcher, studyInput(f, { annotatorsPerPair: K, maxPairsPerAnnotator: CAP }))).id;
  await launchStudy(f.researcher, { studyId });
}, 120_000);
afterAll(async () => f?.remove());

const scores = Object.fromEntries(DEFAULT_CRITERIA.map((c) => [c.key, { left: 3, right: 4 }]));

it("50 annotators claiming and submitting at once: every pair gets exactly k ratings from k people, none lost, none twice, no cap exceeded", async () => {
  const version = await prisma.instructionsVersion.findFirstOrThrow({ where: { studyId }, select: { id: true } });
  const submittedBy = new Map<string, number>();
  await Promise.all(
    f.annotators.map(async (annotator) => {
      await acknowledgeInstructions(annotator, { studyId, instructionsVersionId: version.id });
      for (let i = 0; i < 100; i++) {
        const next = await getNextItem(annotator, { studyId });
        if (next.state !== "item") break;
        // Every other submit is sent twice at once, like a double click.
        const submit = () =>
          submitRating(annotator, {
            assignmentId: next.item.assignmentId,
            instructionsVersionId: version.id,
            scores,
            preference: "TIE",
            activeMs: 1000,
          });
        await (i % 2 ? Promise.all([submit(), submit()]) : submit());
        submittedBy.set(annotator.id, (submittedBy.get(annotator.id) ?? 0) + 1);
      }
    }),
  );

  const pairs = await prisma.pair.findMany({
    where: { studyId },
    select: { id: true, takenCount: true, ratings: { select: { annotatorId: true, revision: true } } },
  });
  expect(pairs).toHaveLength(80);
  for (const p of pairs) {
    expect(p.ratings).toHaveLength(K);
    expect(new Set(p.ratings.map((r) => r.annotatorId)).size).toBe(K);
    expect(p.takenCount).toBe(K);
    expect(p.ratings.every((r) => r.revision === 1)).toBe(true);
  }
  const ratings = await prisma.rating.count({ where: { studyId } });
  expect(ratings).toBe(80 * K);
  expect([...submittedBy.values()].reduce((a, b) => a + b, 0)).toBe(80 * K);
  const perAnnotator = await prisma.rating.groupBy({ by: ["annotatorId"], where: { studyId }, _count: true });
  for (const r of perAnnotator) expect(r._count).toBeLessThanOrEqual(CAP);
  const participants = await prisma.studyParticipant.findMany({
    where: { studyId },
    select: { userId: true, claimedCount: true },
  });
  for (const p of participants)
    expect(p.claimedCount).toBe(perAnnotator.find((r) => r.annotatorId === p.userId)?._count ?? 0);
  expect(await prisma.assignment.count({ where: { pair: { studyId }, status: "ACTIVE" } })).toBe(0);
}, 120_000);

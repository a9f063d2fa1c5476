import { prisma, type DbOrTx } from "@/lib/db";
import { placeSides, SubmittedScoresSchema, type ItemView, type Progress } from "./schemas";

export function findParticipation(studyId: string, userId: string, db: DbOrTx = prisma) {
  return db.studyParticipant.findUnique({
    where: { studyId_userId: { studyId, userId } },
    select: {
      isPaused: true,
      pausedReason: true,
      study: {
        select: {
          id: true,
          name: true,
          status: true,
          design: true,
          annotatorsPerPair: true,
          maxPairsPerAnnotator: true,
          leaseMinutes: true,
          minGoldAccuracy: true,
        },
      },
    },
  });
}

/** The item texts of one assignment, placed left and right by the assignment's side order. */
export async function loadItemView(assignmentId: string, db: DbOrTx = prisma): Promise<ItemView | null> {
  const a = await db.assignment.findUnique({
    where: { id: assignmentId },
    select: {
      id: true,
      teacherOnLeft: true,
      rating: { select: { scores: true, preference: true, revision: true } },
      pair: {
        select: {
          shownText: true,
          item: { select: { source: true } },
          teacherOutput: { select: { text: true } },
          studentOutput: { select: { text: true } },
        },
      },
    },
  });
  if (!a) return null;
  const teacher = a.pair.teacherOutput.text;
  const student = a.pair.shownText ?? a.pair.studentOutput.text;
  return {
    assignmentId: a.id,
    source: a.pair.item.source,
    ...placeSides(a.teacherOnLeft, teacher, student),
    rating: a.rating
      ? {
          scores: SubmittedScoresSchema.parse(a.rating.scores),
          preference: a.rating.preference,
          revision: a.rating.revision,
        }
      : null,
  };
}

/**
 * n of m: items submitted, and what this annotator can still get: one pair per item (the claim's
 * blindness rule), up to the cap. With a cap, the open items are counted only up to what the cap
 * leaves, so the count stops early instead of reading the whole study on every item.
 */
export async function progressOf(
  args: { studyId: string; userId: string; k: number; cap: number | null },
  db: DbOrTx = prisma,
): Promise<Progress> {
  const [mine] = await db.$queryRaw<{ done: number; active: number }[]>`
    SELECT count(*) FILTER (WHERE a."status" = 'SUBMITTED')::int AS done, count(*) FILTER (WHERE a."status" = 'ACTIVE')::int AS active
    FROM "Assignment" a
    WHERE a."annotatorId" = ${args.userId}::uuid
      AND (SELECT p."studyId" FROM "Pair" p WHERE p."id" = a."pairId") = ${args.studyId}::uuid`;
  const room = args.cap === null ? null : Math.max(0, args.cap - mine.done - mine.active);
  let open = 0;
  if (room !== 0) {
    const [row] = await db.$queryRaw<{ open: number }[]>`
      WITH mine AS MATERIALIZED (
        SELECT x."itemId", x."pairId", x."status" FROM (
        -- Driven from this person's own assignments (a pair looked up per row), never from the study's pairs.
        SELECT (SELECT p2."itemId" FROM "Pair" p2 WHERE p2."id" = a."pairId" AND p2."studyId" = ${args.studyId}::uuid) AS "itemId",
               a."pairId", a."status"
        FROM "Assignment" a WHERE a."annotatorId" = ${args.userId}::uuid) x
      WHERE x."itemId" IS NOT NULL
      )
      SELECT count(*)::int AS open FROM (
        SELECT DISTINCT p."itemId" FROM "Pair" p
        WHERE p."studyId" = ${args.studyId}::uuid AND p."takenCount" < ${args.k}
          AND (p."itemId" NOT IN (SELECT "itemId" FROM mine) OR p."id" IN (SELECT "pairId" FROM mine WHERE "status" = 'EXPIRED'))
        LIMIT ${room}
      ) o`;
    open = row.open;
  }
  const total = mine.done + mine.active + open;
  return { done: mine.done, total: args.cap === null ? total : Math.min(total, args.cap) };
}

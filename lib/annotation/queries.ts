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

/** n of m: items submitted, and what this annotator can still get (capped). */
export async function progressOf(
  args: { studyId: string; userId: string; k: number; cap: number | null },
  db: DbOrTx = prisma,
): Promise<Progress> {
  const [row] = await db.$queryRaw<{ done: number; active: number; open: number }[]>`
    SELECT
      (SELECT count(*)::int FROM "Assignment" a JOIN "Pair" p ON p."id" = a."pairId"
        WHERE p."studyId" = ${args.studyId}::uuid AND a."annotatorId" = ${args.userId}::uuid AND a."status" = 'SUBMITTED') AS done,
      (SELECT count(*)::int FROM "Assignment" a JOIN "Pair" p ON p."id" = a."pairId"
        WHERE p."studyId" = ${args.studyId}::uuid AND a."annotatorId" = ${args.userId}::uuid AND a."status" = 'ACTIVE') AS active,
      (SELECT count(*)::int FROM "Pair" p WHERE p."studyId" = ${args.studyId}::uuid AND p."takenCount" < ${args.k}
        AND NOT EXISTS (SELECT 1 FROM "Assignment" a WHERE a."pairId" = p."id" AND a."annotatorId" = ${args.userId}::uuid AND a."status" <> 'EXPIRED')) AS open`;
  const total = row.done + row.active + row.open;
  return { done: row.done, total: args.cap === null ? total : Math.min(total, args.cap) };
}

import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { prisma, type Db, type DbOrTx } from "@/lib/db";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { SkipScreenInput } from "./schemas";

/** An annotator skips a ranking screen (with a reason) or flags it: all its pairs go back to the pool. */
export async function skipScreen(actor: Actor | null, input: SkipScreenInput, db: Db = prisma) {
  requirePermission(actor, "annotation:work");
  const data = SkipScreenInput.parse(input);
  const status = data.action === "flag" ? "FLAGGED" : "SKIPPED";
  return db.$transaction(async (tx) => {
    // Same lock order as expireLeases: assignments, then pairs, then the participant.
    const left = await tx.$queryRaw<{ pairId: string; studyId: string }[]>`
      UPDATE "Assignment" a SET "status" = ${status}::"AssignmentStatus", "reason" = ${data.reason}, "finishedAt" = now()
      FROM "Pair" p
      WHERE a."screenId" = ${data.screenId}::uuid AND a."annotatorId" = ${actor.id}::uuid AND a."status" = 'ACTIVE' AND p."id" = a."pairId"
      RETURNING a."pairId"::text AS "pairId", p."studyId"::text AS "studyId"`;
    if (left.length) {
      await tx.$executeRaw`UPDATE "Pair" SET "takenCount" = "takenCount" - 1 WHERE "id" = ANY(${left.map((l) => l.pairId)}::uuid[])`;
      await tx.$executeRaw`UPDATE "StudyParticipant" SET "claimedCount" = "claimedCount" - ${left.length}
        WHERE "studyId" = ${left[0].studyId}::uuid AND "userId" = ${actor.id}::uuid`;
      return { screenId: data.screenId, status };
    }
    const mine = await tx.assignment.findMany({
      where: { screenId: data.screenId, annotatorId: actor.id },
      select: { status: true },
    });
    if (!mine.length) throw new NotFoundError("No such item");
    if (mine.every((a) => a.status === status)) return { screenId: data.screenId, status }; // a repeated click
    throw new ConflictError("This item is no longer yours to skip");
  });
}

/** Keeps an annotator's open ranking screen theirs: renews the one lease all its pairs share. */
export async function renewScreenLease(actor: Actor | null, input: { screenId: string }, db: DbOrTx = prisma) {
  requirePermission(actor, "annotation:work");
  const { screenId } = SkipScreenInput.pick({ screenId: true }).parse(input);
  const n = await db.$executeRaw`
    UPDATE "Assignment" a SET "leaseExpiresAt" = now() + make_interval(mins => s."leaseMinutes")
    FROM "Pair" p JOIN "Study" s ON s."id" = p."studyId"
    WHERE a."screenId" = ${screenId}::uuid AND a."annotatorId" = ${actor.id}::uuid AND a."status" = 'ACTIVE' AND p."id" = a."pairId"`;
  return { isRenewed: n > 0 };
}

import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { prisma, type Db } from "@/lib/db";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { releaseSlot } from "./claim-sql";
import { SkipInput } from "./schemas";

/** An annotator skips an item (with a reason) or flags it as broken; the pair goes to someone else. */
export async function skipItem(actor: Actor | null, input: SkipInput, db: Db = prisma) {
  requirePermission(actor, "annotation:work");
  const data = SkipInput.parse(input);
  const status = data.action === "flag" ? "FLAGGED" : "SKIPPED";
  return db.$transaction(async (tx) => {
    const left = await tx.$queryRaw<{ pairId: string; studyId: string }[]>`
      UPDATE "Assignment" a SET "status" = ${status}::"AssignmentStatus", "reason" = ${data.reason}, "finishedAt" = now()
      FROM "Pair" p
      WHERE a."id" = ${data.assignmentId}::uuid AND a."annotatorId" = ${actor.id}::uuid AND a."status" = 'ACTIVE' AND p."id" = a."pairId"
      RETURNING a."pairId"::text AS "pairId", p."studyId"::text AS "studyId"`;
    if (left[0]) {
      await releaseSlot({ ...left[0], userId: actor.id }, tx);
      return { assignmentId: data.assignmentId, status };
    }
    const a = await tx.assignment.findUnique({
      where: { id: data.assignmentId },
      select: { annotatorId: true, status: true },
    });
    if (!a || a.annotatorId !== actor.id) throw new NotFoundError("No such item");
    if (a.status === status) return { assignmentId: data.assignmentId, status }; // a repeated click
    throw new ConflictError("This item is no longer yours to skip");
  });
}

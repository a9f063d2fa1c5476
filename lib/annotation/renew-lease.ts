import { z } from "zod";
import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { prisma, type DbOrTx } from "@/lib/db";
import { AssignmentRefInput } from "./schemas";

/**
 * Keeps an annotator's open item theirs while they work on it. Only an ACTIVE assignment is
 * renewed: one already marked EXPIRED has given its slot back and may belong to someone else.
 */
export async function renewLease(actor: Actor | null, input: z.input<typeof AssignmentRefInput>, db: DbOrTx = prisma) {
  requirePermission(actor, "annotation:work");
  const { assignmentId } = AssignmentRefInput.parse(input);
  const n = await db.$executeRaw`
    UPDATE "Assignment" a SET "leaseExpiresAt" = now() + make_interval(mins => s."leaseMinutes")
    FROM "Pair" p JOIN "Study" s ON s."id" = p."studyId"
    WHERE a."id" = ${assignmentId}::uuid AND a."annotatorId" = ${actor.id}::uuid AND a."status" = 'ACTIVE' AND p."id" = a."pairId"`;
  return { isRenewed: n > 0 };
}

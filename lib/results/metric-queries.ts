import { prisma, type DbOrTx } from "@/lib/db";
import type { StudyOutputRow } from "./queries";

/**
 * The outputs people rate in a study: those shown in its regular pairs (rank 0 of each student's
 * settings, and the teacher output paired with it). Gold and attention pairs measure annotators,
 * not systems, and are left out, as in the statistics.
 */
export function loadRatedOutputs(studyId: string, db: DbOrTx = prisma): Promise<StudyOutputRow[]> {
  return db.$queryRaw<StudyOutputRow[]>`
    WITH shown AS (
      SELECT p."teacherOutputId" AS id FROM "Pair" p WHERE p."studyId" = ${studyId}::uuid AND p."kind" = 'REGULAR'
      UNION
      SELECT p."studentOutputId" FROM "Pair" p WHERE p."studyId" = ${studyId}::uuid AND p."kind" = 'REGULAR'
    )
    SELECT o."id"::text AS "id", o."systemId"::text AS "systemId", o."itemId"::text AS "itemId", o."rank", o."text", i."source"
    FROM shown JOIN "Output" o ON o."id" = shown.id JOIN "EvalItem" i ON i."id" = o."itemId"
    ORDER BY i."position", o."systemId", o."rank"`;
}

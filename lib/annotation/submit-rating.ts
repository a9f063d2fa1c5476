import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { prisma, type Db } from "@/lib/db";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { queueResultsRefresh } from "@/lib/jobs";
import { knownAnswerScore } from "./known-answers";
import { CriteriaSchema } from "./schemas";
import { SubmitRatingInput } from "./schemas";

interface Locked {
  status: string;
  pairId: string;
  studyId: string;
  studyStatus: string;
  teacherOnLeft: boolean;
  kind: string;
  /** The named instructions version's criteria, when it is this study's and this person acknowledged it. */
  criteria: unknown;
}

/**
 * An annotator submits (or revises) the rating of one of their items. Idempotent: the rating
 * is one row per assignment (upsert on the unique assignmentId), the assignment row is locked
 * first so a double click waits for the first, and a retry with the same answers changes
 * nothing; different answers on a submitted item become the next revision. Two statements in
 * the transaction (lock and read; write), since each round trip through the client costs more
 * CPU than the statements themselves.
 */
export async function submitRating(actor: Actor | null, input: SubmitRatingInput, db: Db = prisma) {
  requirePermission(actor, "annotation:work");
  const data = SubmitRatingInput.parse(input);
  const result = await db.$transaction(async (tx) => {
    const [a] = await tx.$queryRaw<Locked[]>`
      SELECT a."status"::text AS status, a."pairId"::text AS "pairId", p."studyId"::text AS "studyId", s."status"::text AS "studyStatus",
             a."teacherOnLeft" AS "teacherOnLeft", p."kind"::text AS kind,
             (SELECT iv."criteria" FROM "InstructionsVersion" iv
              WHERE iv."id" = ${data.instructionsVersionId}::uuid AND iv."studyId" = p."studyId"
                AND EXISTS (SELECT 1 FROM "InstructionsAcknowledgement" ack
                            WHERE ack."instructionsVersionId" = iv."id" AND ack."userId" = ${actor.id}::uuid)) AS criteria
      FROM "Assignment" a JOIN "Pair" p ON p."id" = a."pairId" JOIN "Study" s ON s."id" = p."studyId"
      WHERE a."id" = ${data.assignmentId}::uuid AND a."annotatorId" = ${actor.id}::uuid
      FOR UPDATE OF a`;
    if (!a) throw new NotFoundError("No such item");
    if (a.studyStatus === "CLOSED") throw new ConflictError("This study has closed; ratings can no longer change");
    if (a.status === "EXPIRED")
      throw new ConflictError(
        "Your time on this item ran out and it went back to the pool. Load the next item to continue.",
      );
    if (a.status !== "ACTIVE" && a.status !== "SUBMITTED")
      throw new ConflictError("You skipped or flagged this item, so it cannot be rated");
    if (a.criteria === null) throw new ValidationError("Read and acknowledge the current instructions first");
    const keys = CriteriaSchema.parse(a.criteria)
      .map((c) => c.key)
      .sort();
    if (Object.keys(data.scores).sort().join(",") !== keys.join(","))
      throw new ValidationError("Rate every criterion on both sides", {
        scores: "Every criterion needs a score on both sides",
      });

    const scores = JSON.stringify(data.scores);
    // The assignment leaves ACTIVE in the same statement that writes the rating.
    const changed = await tx.$queryRaw<{ revision: number }[]>`
      WITH submitted AS (
        UPDATE "Assignment" SET "status" = 'SUBMITTED', "finishedAt" = now()
        WHERE "id" = ${data.assignmentId}::uuid AND "status" = 'ACTIVE'
        RETURNING "id"
      )
      INSERT INTO "Rating" ("id", "assignmentId", "studyId", "pairId", "annotatorId", "instructionsVersionId", "teacherOnLeft", "scores", "preference", "activeMs", "revision", "createdAt", "updatedAt")
      VALUES (gen_random_uuid(), ${data.assignmentId}::uuid, ${a.studyId}::uuid, ${a.pairId}::uuid, ${actor.id}::uuid, ${data.instructionsVersionId}::uuid,
              ${a.teacherOnLeft}, ${scores}::jsonb, ${data.preference}::"Preference", ${data.activeMs}, 1, now(), now())
      ON CONFLICT ("assignmentId") DO UPDATE
        SET "scores" = EXCLUDED."scores", "preference" = EXCLUDED."preference", "instructionsVersionId" = EXCLUDED."instructionsVersionId",
            "activeMs" = "Rating"."activeMs" + EXCLUDED."activeMs", "revision" = "Rating"."revision" + 1, "updatedAt" = now()
        WHERE ("Rating"."scores", "Rating"."preference") IS DISTINCT FROM (EXCLUDED."scores", EXCLUDED."preference")
      RETURNING "revision"`;
    const revision =
      changed[0]?.revision ??
      (await tx.rating.findUniqueOrThrow({ where: { assignmentId: data.assignmentId }, select: { revision: true } }))
        .revision;
    return { revision, studyId: a.studyId, kind: a.kind };
  });
  if (result.kind === "GOLD") await pauseOnLowGoldAccuracy(result.studyId, actor.id, db);
  // One insert, a no-op while a refresh is already waiting: the stored results catch up in the worker.
  await queueResultsRefresh(result.studyId, db);
  return { assignmentId: data.assignmentId, revision: result.revision, studyId: result.studyId };
}

const MIN_GOLD_ANSWERS = 5;

/** Pauses an annotator whose gold accuracy fell below the study's threshold (with enough gold answers). */
async function pauseOnLowGoldAccuracy(studyId: string, userId: string, db: Db) {
  const study = await db.study.findUnique({ where: { id: studyId }, select: { minGoldAccuracy: true } });
  if (study?.minGoldAccuracy == null) return;
  const q = await knownAnswerScore(studyId, userId, db);
  if (q.goldAnswered < MIN_GOLD_ANSWERS || q.goldCorrect / q.goldAnswered >= study.minGoldAccuracy) return;
  const paused = await db.studyParticipant.updateMany({
    where: { studyId, userId, isPaused: false },
    data: {
      isPaused: true,
      pausedAt: new Date(),
      pausedReason: `Gold accuracy ${q.goldCorrect}/${q.goldAnswered} fell below ${Math.round(study.minGoldAccuracy * 100)}%`,
    },
  });
  // Their ratings leave the statistics: stored results older than this are out of date.
  if (paused.count)
    await db.study.update({ where: { id: studyId }, data: { resultsChangedAt: new Date() }, select: { id: true } });
}

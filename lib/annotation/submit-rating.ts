import { Prisma } from "@/lib/generated/prisma/client";
import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { hotQuery, prisma, type Db, type DbOrTx } from "@/lib/db";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { queueResultsRefreshSql } from "@/lib/jobs";
import { claimingNow, expiryCtes, retrying } from "./claim-sql";
import { knownAnswerScore } from "./known-answers";
import { participationOf, participationSql, type ParticipationRow } from "./queries";
import { CriteriaSchema } from "./schemas";
import { SubmitRatingInput } from "./schemas";

interface Saved {
  studyId: string;
  kind: string;
  /** Null only when the same answers were already stored and this statement could not see them yet (a double click). */
  revision: number | null;
}

/**
 * An annotator submits (or revises) the rating of one of their items. Idempotent: the rating
 * is one row per assignment (upsert on the unique assignmentId), and a retry with the same
 * answers changes nothing; different answers on a submitted item become the next revision.
 *
 * ONE statement, no interactive transaction (each round trip costs more CPU than the work):
 * - the assignment row is updated first (ACTIVE -> SUBMITTED, or SUBMITTED kept), with every rule
 *   in its WHERE: theirs, ACTIVE or SUBMITTED, the study not closed, the named instructions
 *   version acknowledged and its criteria exactly the scored ones. The UPDATE locks the row and,
 *   when another statement changed it meanwhile (a double click, a lease expiry), re-checks the
 *   rules on its newest version, so a rating is never written for an item that expired or was
 *   skipped, and a double click waits for the first;
 * - the rating is written from the updated row, and the results refresh is queued from the
 *   written rating (nothing to recompute when the answers did not change).
 * When no row qualifies, a second read says why, with the same messages as before.
 */
export async function submitRating(actor: Actor | null, input: SubmitRatingInput, db: Db = prisma) {
  const { participation: _, ...saved } = await saveRating(actor, input, { thenClaim: false }, db);
  return saved;
}

/**
 * submitRating for an annotator who asks for their next item in the same request: the same
 * statement also reads what the claim reads first (their participation, findParticipation) and
 * gives the study's lapsed leases back, as getNextItem's first statement does, so the rating
 * and the next item take two statements instead of three. The participation is null when the
 * rating paused its author (low gold accuracy): read it afresh then.
 */
export async function submitRatingThenClaim(actor: Actor | null, input: SubmitRatingInput, db: Db = prisma) {
  return saveRating(actor, input, { thenClaim: true }, db);
}

async function saveRating(actor: Actor | null, input: SubmitRatingInput, opts: { thenClaim: boolean }, db: Db) {
  requirePermission(actor, "annotation:work");
  const data = SubmitRatingInput.parse(input);
  const scores = JSON.stringify(data.scores);
  const studyOfRating = Prisma.sql`(SELECT "studyId" FROM upd)`;
  // The rated assignment is the upd CTE's: never expired by the same statement (one row updated twice is undefined).
  const claiming = Prisma.sql`a."id" <> ${data.assignmentId}::uuid AND ${claimingNow}`;
  const [row] = await retrying(() =>
    hotQuery<Saved & Partial<ParticipationRow>>(
      db,
      Prisma.sql`/* prepared */
    WITH upd AS (
      UPDATE "Assignment" a SET "status" = 'SUBMITTED', "finishedAt" = CASE WHEN a."status" = 'ACTIVE' THEN now() ELSE a."finishedAt" END
      FROM "Pair" p JOIN "Study" s ON s."id" = p."studyId"
      WHERE a."id" = ${data.assignmentId}::uuid AND a."annotatorId" = ${actor.id}::uuid AND p."id" = a."pairId"
        AND a."status" IN ('ACTIVE', 'SUBMITTED') AND s."status" <> 'CLOSED'
        AND EXISTS (
          SELECT 1 FROM "InstructionsVersion" iv
          WHERE iv."id" = ${data.instructionsVersionId}::uuid AND iv."studyId" = p."studyId"
            AND EXISTS (SELECT 1 FROM "InstructionsAcknowledgement" ack
                        WHERE ack."instructionsVersionId" = iv."id" AND ack."userId" = ${actor.id}::uuid)
            AND ARRAY(SELECT c->>'key' FROM jsonb_array_elements(iv."criteria") c ORDER BY 1)
              = ARRAY(SELECT jsonb_object_keys(${scores}::jsonb) ORDER BY 1))
      RETURNING a."id", a."pairId", a."teacherOnLeft", p."studyId", p."kind"::text AS kind
    ),
    saved AS (
      INSERT INTO "Rating" ("id", "assignmentId", "studyId", "pairId", "annotatorId", "instructionsVersionId", "teacherOnLeft", "scores", "preference", "activeMs", "revision", "createdAt", "updatedAt")
      SELECT gen_random_uuid(), upd."id", upd."studyId", upd."pairId", ${actor.id}::uuid, ${data.instructionsVersionId}::uuid,
             upd."teacherOnLeft", ${scores}::jsonb, ${data.preference}::"Preference", ${data.activeMs}, 1, now(), now()
      FROM upd
      ON CONFLICT ("assignmentId") DO UPDATE
        SET "scores" = EXCLUDED."scores", "preference" = EXCLUDED."preference", "instructionsVersionId" = EXCLUDED."instructionsVersionId",
            "activeMs" = "Rating"."activeMs" + EXCLUDED."activeMs", "revision" = "Rating"."revision" + 1, "updatedAt" = now()
        WHERE ("Rating"."scores", "Rating"."preference") IS DISTINCT FROM (EXCLUDED."scores", EXCLUDED."preference")
      RETURNING "studyId", "revision"
    ),
    queued AS (${queueResultsRefreshSql(Prisma.sql`SELECT "studyId" FROM saved`)})
    ${opts.thenClaim ? Prisma.sql`, part AS (${participationSql(studyOfRating, actor.id)}), ${expiryCtes(studyOfRating, claiming)}` : Prisma.empty}
    SELECT upd."studyId"::text AS "studyId", upd.kind,
           COALESCE((SELECT "revision" FROM saved), (SELECT r."revision" FROM "Rating" r WHERE r."assignmentId" = upd."id")) AS revision
           ${opts.thenClaim ? Prisma.sql`, part.*` : Prisma.empty}
    FROM upd ${opts.thenClaim ? Prisma.sql`LEFT JOIN part ON true` : Prisma.empty}`,
    ),
  );
  if (!row) {
    await explainRefusal(actor.id, data, db);
    throw new ConflictError("This item changed meanwhile; load it again");
  }
  // Same answers as a submit that committed after this statement began (a double click): read them now.
  const revision =
    row.revision ??
    (await db.rating.findUniqueOrThrow({ where: { assignmentId: data.assignmentId }, select: { revision: true } }))
      .revision;
  const paused = row.kind === "GOLD" && (await pauseOnLowGoldAccuracy(row.studyId, actor.id, db));
  const { studyId, kind, revision: _, ...part } = row;
  return {
    assignmentId: data.assignmentId,
    revision,
    studyId,
    kind,
    // No row joined (part.id null): getNextItem reads it, and says what is wrong, itself.
    participation: opts.thenClaim && !paused && part.id ? participationOf(part as ParticipationRow) : null,
  };
}

/** Throws why a submit was refused, checked in the order the page should explain it. */
async function explainRefusal(userId: string, data: ReturnType<typeof SubmitRatingInput.parse>, db: DbOrTx) {
  const [a] = await db.$queryRaw<{ status: string; studyStatus: string; criteria: unknown }[]>`
    SELECT a."status"::text AS status, s."status"::text AS "studyStatus",
           (SELECT iv."criteria" FROM "InstructionsVersion" iv
            WHERE iv."id" = ${data.instructionsVersionId}::uuid AND iv."studyId" = p."studyId"
              AND EXISTS (SELECT 1 FROM "InstructionsAcknowledgement" ack
                          WHERE ack."instructionsVersionId" = iv."id" AND ack."userId" = ${userId}::uuid)) AS criteria
    FROM "Assignment" a JOIN "Pair" p ON p."id" = a."pairId" JOIN "Study" s ON s."id" = p."studyId"
    WHERE a."id" = ${data.assignmentId}::uuid AND a."annotatorId" = ${userId}::uuid`;
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
}

const MIN_GOLD_ANSWERS = 5;

/** Pauses an annotator whose gold accuracy fell below the study's threshold (with enough gold answers). */
async function pauseOnLowGoldAccuracy(studyId: string, userId: string, db: Db): Promise<boolean> {
  const study = await db.study.findUnique({ where: { id: studyId }, select: { minGoldAccuracy: true } });
  if (study?.minGoldAccuracy == null) return false;
  const q = await knownAnswerScore(studyId, userId, db);
  if (q.goldAnswered < MIN_GOLD_ANSWERS || q.goldCorrect / q.goldAnswered >= study.minGoldAccuracy) return false;
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
  return true;
}

import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { prisma, type Db } from "@/lib/db";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { queueResultsRefresh } from "@/lib/jobs";
import { CriteriaSchema, SubmitRankingInput, type Preference, type SidedScores } from "./schemas";

/**
 * Ranks as given (any integers, smaller is better, equal ties) turned into competition ranks:
 * 1 for the best, and each text one more than the number of texts ranked above it (1, 1, 3).
 * Only the order matters, so an annotator's "1, 1, 2" and "1, 1, 3" are the same answer.
 */
export function competitionRanks(ranks: number[]): number[] {
  return ranks.map((r) => 1 + ranks.filter((o) => o < r).length);
}

/**
 * One pair's rating (teacher vs one student) read off a ranking screen: "left" is whichever of
 * the two texts was shown first, the scores are those two texts' scores, and the preference goes
 * to the better-ranked one (equal ranks are a tie), so every pairwise statistic reads it as usual.
 */
export function derivePairRating(args: {
  order: (string | null)[];
  pairId: string;
  scores: Record<string, number>[];
  ranks: number[];
}): { teacherOnLeft: boolean; scores: SidedScores; preference: Preference } {
  const t = args.order.indexOf(null);
  const s = args.order.indexOf(args.pairId);
  if (t < 0 || s < 0) throw new Error("The pair is not on this screen");
  const [left, right] = t < s ? [t, s] : [s, t];
  const scores: SidedScores = {};
  for (const key of Object.keys(args.scores[t]))
    scores[key] = { left: args.scores[left][key], right: args.scores[right][key] };
  const preference: Preference =
    args.ranks[left] < args.ranks[right] ? "LEFT" : args.ranks[left] > args.ranks[right] ? "RIGHT" : "TIE";
  return { teacherOnLeft: t < s, scores, preference };
}

interface Locked {
  id: string;
  status: string;
  pairId: string;
  studyId: string;
  studyStatus: string;
}

/**
 * An annotator submits (or revises) a ranking screen: in one transaction, one Rating per pair
 * (teacher vs that student, derivePairRating) and the full ranking on the screen. Idempotent as
 * submitRating is: the same answers again change nothing, different ones become the next revision.
 */
export async function submitRanking(actor: Actor | null, input: SubmitRankingInput, db: Db = prisma) {
  requirePermission(actor, "annotation:work");
  const data = SubmitRankingInput.parse(input);
  const studyId = await db.$transaction(async (tx) => {
    // The screen's assignments, locked: a double click waits for the first submit.
    const rows = await tx.$queryRaw<Locked[]>`
      SELECT a."id"::text AS id, a."status"::text AS status, a."pairId"::text AS "pairId", p."studyId"::text AS "studyId",
             s."status"::text AS "studyStatus"
      FROM "Assignment" a JOIN "Pair" p ON p."id" = a."pairId" JOIN "Study" s ON s."id" = p."studyId"
      WHERE a."screenId" = ${data.screenId}::uuid AND a."annotatorId" = ${actor.id}::uuid
      ORDER BY a."id" FOR UPDATE OF a`;
    if (!rows.length) throw new NotFoundError("No such item");
    const { studyId, studyStatus } = rows[0];
    if (studyStatus === "CLOSED") throw new ConflictError("This study has closed; ratings can no longer change");
    if (rows.some((r) => r.status === "EXPIRED"))
      throw new ConflictError(
        "Your time on this item ran out and it went back to the pool. Load the next item to continue.",
      );
    if (rows.some((r) => r.status !== "ACTIVE" && r.status !== "SUBMITTED"))
      throw new ConflictError("You skipped or flagged this item, so it cannot be rated");
    const screen = await tx.rankingScreen.findUniqueOrThrow({
      where: { id: data.screenId },
      select: { shownOrder: true },
    });
    const order = screen.shownOrder as (string | null)[];
    const version = await tx.instructionsVersion.findFirst({
      where: { id: data.instructionsVersionId, studyId, acknowledgements: { some: { userId: actor.id } } },
      select: { id: true, criteria: true },
    });
    if (!version) throw new ValidationError("Read and acknowledge the current instructions first");
    const keys = CriteriaSchema.parse(version.criteria)
      .map((c) => c.key)
      .sort()
      .join(",");
    if (data.texts.length !== order.length)
      throw new ValidationError(`Rate and rank all ${order.length} texts`, { texts: "Every text needs an answer" });
    if (data.texts.some((t) => Object.keys(t.scores).sort().join(",") !== keys || t.rank > order.length))
      throw new ValidationError("Rate every criterion of every text and give each a rank", {
        texts: `Every criterion needs a score, and every text a rank from 1 to ${order.length}`,
      });

    const ranks = competitionRanks(data.texts.map((t) => t.rank));
    const scores = data.texts.map((t) => t.scores);
    const activeMs = Math.round(data.activeMs / rows.length); // the screen's time, shared by its pairs
    await tx.assignment.updateMany({
      where: { screenId: data.screenId, status: "ACTIVE" },
      data: { status: "SUBMITTED", finishedAt: new Date() },
    });
    for (const r of rows) {
      const d = derivePairRating({ order, pairId: r.pairId, scores, ranks });
      await tx.$executeRaw`
        INSERT INTO "Rating" ("id", "assignmentId", "studyId", "pairId", "annotatorId", "instructionsVersionId", "teacherOnLeft", "scores", "preference", "activeMs", "revision", "createdAt", "updatedAt")
        VALUES (gen_random_uuid(), ${r.id}::uuid, ${studyId}::uuid, ${r.pairId}::uuid, ${actor.id}::uuid, ${version.id}::uuid,
                ${d.teacherOnLeft}, ${JSON.stringify(d.scores)}::jsonb, ${d.preference}::"Preference", ${activeMs}, 1, now(), now())
        ON CONFLICT ("assignmentId") DO UPDATE
          SET "scores" = EXCLUDED."scores", "preference" = EXCLUDED."preference", "instructionsVersionId" = EXCLUDED."instructionsVersionId",
              "activeMs" = "Rating"."activeMs" + EXCLUDED."activeMs", "revision" = "Rating"."revision" + 1, "updatedAt" = now()
          WHERE ("Rating"."scores", "Rating"."preference") IS DISTINCT FROM (EXCLUDED."scores", EXCLUDED."preference")`;
    }
    await tx.rankingScreen.update({
      where: { id: data.screenId },
      data: { ranks, scores, submittedAt: new Date() },
      select: { id: true },
    });
    return studyId;
  });
  await queueResultsRefresh(studyId, db);
  return { screenId: data.screenId, isSaved: true };
}

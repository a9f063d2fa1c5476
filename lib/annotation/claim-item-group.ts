import { randomInt, randomUUID } from "node:crypto";
import { prisma, type Db, type DbOrTx } from "@/lib/db";
import { isRetryable } from "./claim-sql";

/** How many open sources one claim tries before it says there is nothing left (others hold the rest). */
const CANDIDATES = 16;

interface Me {
  claimedCount: number;
  cap: number | null;
  k: number;
  lease: number;
}

/**
 * The claim of a RANKING study: one annotator takes every REGULAR pair of one source at once
 * (one screen), or nothing. Unlike the pairwise claim (claim-sql.ts) it locks a group of rows,
 * which one statement with SKIP LOCKED cannot do all-or-nothing, so it is one transaction:
 *
 * - the annotator's StudyParticipant row is locked first (FOR UPDATE, waiting): two claims of one
 *   person run one after the other, and the later one sees the earlier one's screen, resumes it
 *   instead of opening a second, and never takes that source again;
 * - a source is taken under a transaction-scoped advisory lock on (study, source), tried without
 *   waiting: two annotators never wait on or both take the same source's slots; a source another
 *   claim holds this moment is passed over;
 * - its pairs are then locked FOR UPDATE, which reads their newest takenCount, and the source is
 *   taken only when every pair is still under k (the same k rule as pairwise) and the whole group
 *   fits under the cap, which counts pairs (a screen of n students takes n);
 * - the pairs' and the annotator's counters move in the same transaction as the assignments.
 *
 * Lease expiry (expireLeases) needs nothing new: the screen's assignments share one lease, which
 * is renewed for all of them together, so they expire in the same statement and give every slot
 * back. A source this person was ever given (in any state) is never offered to them again.
 * Returns the screen's id (null when none was taken) and whether open sources were seen that
 * other claims held this moment (worth trying again).
 */
export async function claimItemGroup(args: { studyId: string; userId: string }, db: Db = prisma) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction((tx) => claimInTransaction(args, tx), { timeout: 20_000 });
    } catch (err) {
      // A deadlock with a lease expiry (it locks pairs, then participants) aborts one side; again is safe.
      if (attempt >= 4 || !isRetryable(err)) throw err;
    }
  }
}

async function claimInTransaction(
  args: { studyId: string; userId: string },
  tx: DbOrTx,
): Promise<{ screenId: string | null; isContended: boolean }> {
  const { studyId, userId } = args;
  const [me] = await tx.$queryRaw<Me[]>`
    SELECT sp."claimedCount", s."maxPairsPerAnnotator" AS cap, s."annotatorsPerPair" AS k, s."leaseMinutes" AS lease
    FROM "StudyParticipant" sp JOIN "Study" s ON s."id" = sp."studyId"
    WHERE sp."studyId" = ${studyId}::uuid AND sp."userId" = ${userId}::uuid AND NOT sp."isPaused" AND s."status" = 'LIVE'
    FOR UPDATE OF sp`;
  if (!me) return { screenId: null, isContended: false };
  const open = await resumeOpenScreen({ studyId, userId, lease: me.lease }, tx);
  if (open) return { screenId: open, isContended: false };
  const room = me.cap === null ? 1_000_000 : me.cap - me.claimedCount;
  const candidates = await openSources({ studyId, userId, k: me.k, room, limit: CANDIDATES }, tx);
  for (const itemId of candidates) {
    const [{ locked }] = await tx.$queryRaw<{ locked: boolean }[]>`
      SELECT pg_try_advisory_xact_lock(hashtextextended(${`ranking:${studyId}:${itemId}`}, 0)) AS locked`;
    if (!locked) continue;
    const pairs = await tx.$queryRaw<{ id: string; takenCount: number }[]>`
      SELECT p."id"::text AS id, p."takenCount" FROM "Pair" p
      WHERE p."studyId" = ${studyId}::uuid AND p."itemId" = ${itemId}::uuid AND p."kind" = 'REGULAR'
      ORDER BY p."id" FOR UPDATE`;
    if (!pairs.length || pairs.length > room || pairs.some((p) => p.takenCount >= me.k)) continue;
    const screenId = await openScreen(
      { studyId, userId, itemId, pairIds: pairs.map((p) => p.id), lease: me.lease },
      tx,
    );
    return { screenId, isContended: false };
  }
  return { screenId: null, isContended: candidates.length > 0 };
}

/** This person's unexpired screen in the study, its lease renewed for all its pairs. */
async function resumeOpenScreen(args: { studyId: string; userId: string; lease: number }, tx: DbOrTx) {
  const rows = await tx.$queryRaw<{ screenId: string }[]>`
    UPDATE "Assignment" a SET "leaseExpiresAt" = now() + make_interval(mins => ${args.lease}::int)
    WHERE a."screenId" = (
      SELECT a2."screenId" FROM "Assignment" a2 JOIN "Pair" p ON p."id" = a2."pairId"
      WHERE a2."annotatorId" = ${args.userId}::uuid AND a2."status" = 'ACTIVE' AND a2."leaseExpiresAt" > now()
        AND a2."screenId" IS NOT NULL AND p."studyId" = ${args.studyId}::uuid
      ORDER BY a2."claimedAt" LIMIT 1
    ) AND a."status" = 'ACTIVE'
    RETURNING a."screenId"::text AS "screenId"`;
  return rows[0]?.screenId ?? null;
}

/**
 * Sources whose regular pairs are all under k and that this person has never been given, fullest
 * first (fill sources up to k before opening new ones, as the pairwise claim does). A snapshot:
 * the claim re-checks each under its locks.
 */
export function openSources(
  args: { studyId: string; userId: string; k: number; room: number; limit: number },
  db: DbOrTx = prisma,
) {
  return db.$queryRaw<{ itemId: string }[]>`
    WITH mine AS MATERIALIZED (
      SELECT DISTINCT p2."itemId" FROM "Assignment" a JOIN "Pair" p2 ON p2."id" = a."pairId"
      WHERE a."annotatorId" = ${args.userId}::uuid AND p2."studyId" = ${args.studyId}::uuid
    )
    SELECT p."itemId"::text AS "itemId" FROM "Pair" p
    WHERE p."studyId" = ${args.studyId}::uuid AND p."kind" = 'REGULAR' AND p."itemId" NOT IN (SELECT "itemId" FROM mine)
    GROUP BY p."itemId"
    HAVING max(p."takenCount") < ${args.k} AND count(*) <= ${args.room}
    ORDER BY max(p."takenCount") DESC, max(p."shuffleKey") DESC
    LIMIT ${args.limit}`.then((rows) => rows.map((r) => r.itemId));
}

/** The teacher's text (null) and each pair's student text, in a random order (Fisher-Yates). */
export function shuffledOrder(pairIds: string[], rand: (n: number) => number = randomInt): (string | null)[] {
  const order: (string | null)[] = [null, ...pairIds];
  for (let i = order.length - 1; i > 0; i--) {
    const j = rand(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

async function openScreen(
  args: { studyId: string; userId: string; itemId: string; pairIds: string[]; lease: number },
  tx: DbOrTx,
) {
  const screenId = randomUUID();
  const order = shuffledOrder(args.pairIds);
  const teacherAt = order.indexOf(null);
  // Each pair's sides follow the screen: "left" is whichever of its two texts was shown first.
  const rows = args.pairIds.map((pairId) => ({ pairId, teacherOnLeft: teacherAt < order.indexOf(pairId) }));
  await tx.$executeRaw`
    INSERT INTO "RankingScreen" ("id", "studyId", "itemId", "annotatorId", "shownOrder", "createdAt")
    VALUES (${screenId}::uuid, ${args.studyId}::uuid, ${args.itemId}::uuid, ${args.userId}::uuid, ${JSON.stringify(order)}::jsonb, now())`;
  await tx.$executeRaw`
    INSERT INTO "Assignment" ("id", "pairId", "annotatorId", "status", "teacherOnLeft", "leaseExpiresAt", "claimedAt", "screenId")
    SELECT gen_random_uuid(), r."pairId", ${args.userId}::uuid, 'ACTIVE', r."teacherOnLeft",
           now() + make_interval(mins => ${args.lease}::int), now(), ${screenId}::uuid
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r("pairId" uuid, "teacherOnLeft" boolean)`;
  await tx.$executeRaw`
    UPDATE "Pair" SET "takenCount" = "takenCount" + 1 WHERE "id" = ANY(${args.pairIds}::uuid[])`;
  await tx.$executeRaw`
    UPDATE "StudyParticipant" SET "claimedCount" = "claimedCount" + ${args.pairIds.length}
    WHERE "studyId" = ${args.studyId}::uuid AND "userId" = ${args.userId}::uuid`;
  return screenId;
}

import { prisma, type DbOrTx } from "@/lib/db";

/**
 * The two statements that move assignments in and out of the pool. Both are single SQL
 * statements, so each is atomic on its own; the counters they keep (Pair.takenCount,
 * StudyParticipant.claimedCount) are what makes them safe under concurrency:
 *
 * In READ COMMITTED a statement reads one snapshot taken when it starts. Counting a pair's
 * assignments in a subquery would read that stale snapshot even after the pair row is locked,
 * so two claims could both see "k - 1" and both take the last slot. A row lock, though, always
 * re-reads the newest version of the row it locks (EvalPlanQual) and re-checks the conditions
 * on it. So "fewer than k" and "under the cap" are columns of the very rows the claim locks:
 *
 * - the annotator's StudyParticipant row is locked FOR UPDATE first (without SKIP LOCKED), so one
 *   annotator's claims run one after another and each sees the latest claimedCount;
 * - candidate pairs are locked FOR UPDATE SKIP LOCKED, so two annotators never wait on or take
 *   the same slot, and a pair whose takenCount reached k since the snapshot is passed over;
 * - the unique (pairId, annotatorId) key refuses a second assignment of one pair to one person;
 *   ON CONFLICT revives only that person's own EXPIRED assignment of the pair;
 * - both counters are incremented only for a row the INSERT really returned.
 */
export async function claimNextPair(
  args: { studyId: string; userId: string },
  db: DbOrTx = prisma,
): Promise<string | null> {
  const { studyId, userId } = args;
  const rows = await db.$queryRaw<{ id: string }[]>`
    WITH me AS (
      SELECT sp."userId", s."annotatorsPerPair" AS k, s."leaseMinutes" AS lease
      FROM "StudyParticipant" sp JOIN "Study" s ON s."id" = sp."studyId"
      WHERE sp."studyId" = ${studyId}::uuid AND sp."userId" = ${userId}::uuid
        AND NOT sp."isPaused" AND s."status" = 'LIVE'
        AND (s."maxPairsPerAnnotator" IS NULL OR sp."claimedCount" < s."maxPairsPerAnnotator")
      FOR UPDATE OF sp
    ),
    cand AS (
      SELECT p."id" FROM "Pair" p, me
      WHERE p."studyId" = ${studyId}::uuid AND p."takenCount" < me.k
        AND NOT EXISTS (
          SELECT 1 FROM "Assignment" a
          WHERE a."pairId" = p."id" AND a."annotatorId" = ${userId}::uuid AND a."status" <> 'EXPIRED')
      -- Items this person has not seen come first: the teacher's text is the same in every pair
      -- of an item (one per student, gold), so seeing an item twice can hint which side is which.
      -- Then each annotator's own order: a hash of pair and person, unrelated to system or kind.
      ORDER BY (
        SELECT count(*) FROM "Assignment" a2 JOIN "Pair" p2 ON p2."id" = a2."pairId"
        WHERE p2."studyId" = p."studyId" AND p2."itemId" = p."itemId" AND a2."annotatorId" = ${userId}::uuid
      ), md5(p."id"::text || ${userId}::text)
      LIMIT 1
      FOR UPDATE OF p SKIP LOCKED
    ),
    ins AS (
      INSERT INTO "Assignment" ("id", "pairId", "annotatorId", "status", "teacherOnLeft", "leaseExpiresAt", "claimedAt")
      SELECT gen_random_uuid(), cand."id", ${userId}::uuid, 'ACTIVE', random() < 0.5, now() + make_interval(mins => me.lease), now()
      FROM cand, me
      ON CONFLICT ("pairId", "annotatorId") DO UPDATE
        SET "status" = 'ACTIVE', "teacherOnLeft" = EXCLUDED."teacherOnLeft", "leaseExpiresAt" = EXCLUDED."leaseExpiresAt",
            "claimedAt" = now(), "finishedAt" = NULL, "reason" = NULL
        WHERE "Assignment"."status" = 'EXPIRED'
      RETURNING "id", "pairId"
    ),
    bump_pair AS (
      UPDATE "Pair" p SET "takenCount" = p."takenCount" + 1 FROM ins WHERE p."id" = ins."pairId" RETURNING p."id"
    ),
    bump_me AS (
      UPDATE "StudyParticipant" sp SET "claimedCount" = sp."claimedCount" + 1
      FROM ins WHERE sp."studyId" = ${studyId}::uuid AND sp."userId" = ${userId}::uuid RETURNING sp."userId"
    )
    SELECT ins."id"::text AS id FROM ins, bump_pair, bump_me`;
  return rows[0]?.id ?? null;
}

/**
 * Marks this study's ACTIVE assignments whose lease ran out as EXPIRED and gives their slots
 * back, in one statement. A concurrent run waits on the same assignment rows and then finds
 * them no longer ACTIVE, so a slot is never given back twice.
 */
export async function expireLeases(studyId: string, db: DbOrTx = prisma): Promise<number> {
  const rows = await db.$queryRaw<{ n: number }[]>`
    WITH exp AS (
      UPDATE "Assignment" a SET "status" = 'EXPIRED'
      FROM "Pair" p
      WHERE p."id" = a."pairId" AND p."studyId" = ${studyId}::uuid AND a."status" = 'ACTIVE' AND a."leaseExpiresAt" < now()
      RETURNING a."pairId", a."annotatorId"
    ),
    dp AS (
      UPDATE "Pair" p SET "takenCount" = p."takenCount" - e.n
      FROM (SELECT "pairId", count(*)::int AS n FROM exp GROUP BY "pairId") e WHERE p."id" = e."pairId"
    ),
    dm AS (
      UPDATE "StudyParticipant" sp SET "claimedCount" = sp."claimedCount" - e.n
      FROM (SELECT "annotatorId", count(*)::int AS n FROM exp GROUP BY "annotatorId") e
      WHERE sp."studyId" = ${studyId}::uuid AND sp."userId" = e."annotatorId"
    )
    SELECT count(*)::int AS n FROM exp`;
  return rows[0]?.n ?? 0;
}

/** Gives back the slot of an assignment that just left ACTIVE (skip, flag). Same lock order as expireLeases. */
export async function releaseSlot(args: { studyId: string; pairId: string; userId: string }, db: DbOrTx = prisma) {
  await db.$executeRaw`UPDATE "Pair" SET "takenCount" = "takenCount" - 1 WHERE "id" = ${args.pairId}::uuid`;
  await db.$executeRaw`UPDATE "StudyParticipant" SET "claimedCount" = "claimedCount" - 1 WHERE "studyId" = ${args.studyId}::uuid AND "userId" = ${args.userId}::uuid`;
}

/** Postgres deadlock (40P01) or serialization failure (40001): safe to run the statement again. */
export function isRetryable(err: unknown): boolean {
  const e = err as { code?: string; meta?: { code?: string }; message?: string; cause?: { code?: string } };
  const codes = [e?.code, e?.meta?.code, e?.cause?.code];
  return (
    codes.includes("40P01") ||
    codes.includes("40001") ||
    /deadlock detected|could not serialize/i.test(e?.message ?? "")
  );
}

import { Prisma } from "@/lib/generated/prisma/client";
import { hotQuery, prisma, type DbOrTx } from "@/lib/db";
import type { ItemRow } from "./queries";

/**
 * The statement that hands out a pair. It is one SQL statement, so it is atomic on its own; the
 * counters it keeps (Pair.takenCount, StudyParticipant.claimedCount) make it safe under
 * concurrency:
 *
 * In READ COMMITTED a statement reads one snapshot taken when it starts. Counting a pair's
 * assignments in a subquery would read that stale snapshot even after the pair row is locked,
 * so two claims could both see "k - 1" and both take the last slot. A row lock, though, always
 * re-reads the newest version of the row it locks (EvalPlanQual) and re-checks the conditions
 * on it. So "fewer than k" and "under the cap" are columns of the very rows the claim locks:
 *
 * - the annotator's StudyParticipant row is locked FOR UPDATE (without SKIP LOCKED);
 * - candidate pairs are locked FOR UPDATE SKIP LOCKED, so two annotators never wait on or take
 *   the same slot, and a pair whose takenCount reached k since the snapshot is passed over;
 * - the unique (pairId, annotatorId) key refuses a second assignment of one pair to one person;
 *   ON CONFLICT revives only that person's own EXPIRED assignment of the pair;
 * - both counters are incremented only for a row the INSERT really returned.
 *
 * Blind by construction: an item this person has been given before (in any state) is never
 * offered again through another of its pairs, since the teacher's text is the same in every pair
 * of an item and two pairs would name the teacher's side. The rule reads this person's own
 * assignments, which only a claim of theirs adds; `claimForAnnotator` runs claims of one person
 * one after another, each in a snapshot taken after the previous one committed.
 *
 * Cost: the pairs are walked in the (studyId, takenCount, shuffleKey) index from the fullest
 * open pair down (fill pairs up to k before opening new ones, so the first ratings overlap), and
 * the walk stops at the first pair this person may take. It passes over full pairs without
 * reading them, and over at most the pairs of items this person already has, so it does not grow
 * with the number of pairs in the study.
 */
export async function claimNextPair(
  args: { studyId: string; userId: string },
  db: DbOrTx = prisma,
): Promise<string | null> {
  const [row] = await claimOrResumeQuery(args, db);
  return row?.id ?? null;
}

/**
 * What the claim statement answers: the person's item (resumed or new) as loadItemView reads one
 * (every field null when there is none), and their counts.
 */
export type ClaimRow = { [K in keyof ItemRow]: ItemRow[K] | null } & {
  /** False when the person's row changed after this statement's snapshot was taken: run it again. */
  isFresh: boolean;
  /** This person's submitted and open items in the study, the claim included. */
  done: number;
  active: number;
};

/**
 * The claim as ONE statement, no transaction around it: the person's open item with its lease
 * renewed, else a newly claimed pair, returned with the item's texts and the person's counts.
 *
 * Claims of one person are serialised on their StudyParticipant row (FOR UPDATE, waiting). The
 * statement's other reads (their open item, the items they were given) come from the snapshot
 * taken when it began, so it proceeds only when that snapshot already holds the newest version
 * of the row it locked: the row's xmin, compared with the snapshot's, changes with every update,
 * and every change to a person's assignments in a study that matters here (a claim, an expiry, a
 * skip) updates their row (claimedCount). When another claim of theirs committed meanwhile the
 * lock re-reads the row, the xmins differ, nothing is claimed or renewed, and `isFresh` is false:
 * the caller runs the statement again, in a snapshot that sees that claim (and resumes its item).
 * (A submit does not touch the row: a snapshot that misses one sees the item still open, which
 * gives no claim, never a second open item.) This replaces BEGIN, a locking SELECT, the renewal,
 * the claim and COMMIT, and the item and count reads after them.
 */
export function claimOrResumeQuery(args: { studyId: string; userId: string }, db: DbOrTx = prisma) {
  const { studyId, userId } = args;
  return hotQuery<ClaimRow>(
    db,
    Prisma.sql`/* prepared */
    WITH me AS (
      SELECT sp."userId", sp."isPaused", sp."claimedCount", s."status", s."maxPairsPerAnnotator" AS cap,
             s."annotatorsPerPair" AS k, s."leaseMinutes" AS lease
      FROM "StudyParticipant" sp JOIN "Study" s ON s."id" = sp."studyId"
      WHERE sp."studyId" = ${studyId}::uuid AND sp."userId" = ${userId}::uuid
        AND sp."xmin" = (SELECT sp2."xmin" FROM "StudyParticipant" sp2 WHERE sp2."studyId" = ${studyId}::uuid AND sp2."userId" = ${userId}::uuid)
      FOR UPDATE OF sp
    ),
    act AS MATERIALIZED (
      -- This person's open items in the study (at most one, by the rule below): from their own ACTIVE rows.
      SELECT a2."id", a2."leaseExpiresAt", a2."claimedAt" FROM "Assignment" a2 JOIN "Pair" p ON p."id" = a2."pairId"
      WHERE a2."annotatorId" = ${userId}::uuid AND a2."status" = 'ACTIVE' AND p."studyId" = ${studyId}::uuid
    ),
    open AS (
      UPDATE "Assignment" a SET "leaseExpiresAt" = now() + make_interval(mins => me.lease)
      FROM me
      WHERE a."id" = (SELECT act."id" FROM act WHERE act."leaseExpiresAt" > now() ORDER BY act."claimedAt" ASC LIMIT 1)
        AND a."status" = 'ACTIVE'
      RETURNING a."id", a."pairId", a."teacherOnLeft"
    ),
    can AS (
      SELECT me.* FROM me
      WHERE NOT me."isPaused" AND me."status" = 'LIVE' AND (me.cap IS NULL OR me."claimedCount" < me.cap)
        -- One open item per person: never a second while one is ACTIVE.
        AND NOT EXISTS (SELECT 1 FROM act)
    ),
    cand AS (
      SELECT p."id", p."itemId" FROM "Pair" p
      WHERE p."studyId" = ${studyId}::uuid AND p."takenCount" < (SELECT k FROM can)
        -- Blind: no pair of an item this person was ever given, except their own EXPIRED
        -- assignment of this very pair (revived below). Checked per pair walked, through the
        -- item's few pairs and the (pairId, annotatorId) key, never through all their assignments.
        AND NOT EXISTS (
          SELECT 1 FROM "Pair" p2 JOIN "Assignment" a ON a."pairId" = p2."id" AND a."annotatorId" = ${userId}::uuid
          WHERE p2."studyId" = ${studyId}::uuid AND p2."itemId" = p."itemId"
            AND NOT (p2."id" = p."id" AND a."status" = 'EXPIRED'))
      ORDER BY p."takenCount" DESC, p."shuffleKey" DESC
      LIMIT 1
      FOR UPDATE OF p SKIP LOCKED
    ),
    ins AS (
      INSERT INTO "Assignment" ("id", "pairId", "annotatorId", "status", "teacherOnLeft", "leaseExpiresAt", "claimedAt")
      SELECT gen_random_uuid(), cand."id", ${userId}::uuid, 'ACTIVE', random() < 0.5, now() + make_interval(mins => can.lease), now()
      FROM cand, can
      ON CONFLICT ("pairId", "annotatorId") DO UPDATE
        SET "status" = 'ACTIVE', "teacherOnLeft" = EXCLUDED."teacherOnLeft", "leaseExpiresAt" = EXCLUDED."leaseExpiresAt",
            "claimedAt" = now(), "finishedAt" = NULL, "reason" = NULL
        WHERE "Assignment"."status" = 'EXPIRED'
      RETURNING "id", "pairId", "teacherOnLeft"
    ),
    bump_pair AS (
      UPDATE "Pair" p SET "takenCount" = p."takenCount" + 1 FROM ins WHERE p."id" = ins."pairId" RETURNING p."id"
    ),
    bump_me AS (
      UPDATE "StudyParticipant" sp SET "claimedCount" = sp."claimedCount" + 1
      FROM ins WHERE sp."studyId" = ${studyId}::uuid AND sp."userId" = ${userId}::uuid RETURNING sp."userId"
    ),
    got AS (
      SELECT "id", "pairId", "teacherOnLeft", 0 AS added FROM open
      UNION ALL
      SELECT ins."id", ins."pairId", ins."teacherOnLeft", 1 FROM ins, bump_pair, bump_me
    )
    SELECT EXISTS (SELECT 1 FROM me) AS "isFresh", g."id"::text AS "id", g."teacherOnLeft", i."source", t."text" AS "teacher",
           COALESCE(p."shownText", so."text") AS "student", r."scores", r."preference"::text AS "preference", r."revision",
           -- claimedCount counts their ACTIVE and SUBMITTED assignments in the study (claim, expiry and skip keep it).
           ((SELECT "claimedCount" FROM me) - (SELECT count(*) FROM act))::int AS done,
           ((SELECT count(*) FROM act) + COALESCE(g.added, 0))::int AS active
    FROM (SELECT 1) one
      LEFT JOIN got g ON true
      LEFT JOIN "Pair" p ON p."id" = g."pairId"
      LEFT JOIN "EvalItem" i ON i."id" = p."itemId"
      LEFT JOIN "Output" t ON t."id" = p."teacherOutputId"
      LEFT JOIN "Output" so ON so."id" = p."studentOutputId"
      LEFT JOIN "Rating" r ON r."assignmentId" = g."id"`,
  );
}

/**
 * Whether any pair is still open to this person (the claim's conditions without its locks):
 * tells "others are claiming the open pairs this moment" apart from "nothing left". Stops at the
 * first open pair, walking the same index as the claim.
 */
export async function hasOpenPair(args: { studyId: string; userId: string; k: number }, db: DbOrTx = prisma) {
  const rows = await db.$queryRaw<{ ok: number }[]>`
    WITH mine AS MATERIALIZED (
      SELECT x."itemId", x."pairId", x."status" FROM (
        -- Driven from this person's own assignments (a pair looked up per row), never from the study's pairs.
        SELECT (SELECT p2."itemId" FROM "Pair" p2 WHERE p2."id" = a."pairId" AND p2."studyId" = ${args.studyId}::uuid) AS "itemId",
               a."pairId", a."status"
        FROM "Assignment" a WHERE a."annotatorId" = ${args.userId}::uuid) x
      WHERE x."itemId" IS NOT NULL
    )
    SELECT 1 AS ok FROM "Pair" p
    WHERE p."studyId" = ${args.studyId}::uuid AND p."takenCount" < ${args.k}
      AND EXISTS (
        SELECT 1 FROM "StudyParticipant" sp JOIN "Study" s ON s."id" = sp."studyId"
        WHERE sp."studyId" = ${args.studyId}::uuid AND sp."userId" = ${args.userId}::uuid AND NOT sp."isPaused"
          AND (s."maxPairsPerAnnotator" IS NULL OR sp."claimedCount" < s."maxPairsPerAnnotator"))
      AND (p."itemId" NOT IN (SELECT "itemId" FROM mine) OR p."id" IN (SELECT "pairId" FROM mine WHERE "status" = 'EXPIRED'))
    ORDER BY p."takenCount" DESC, p."shuffleKey" DESC
    LIMIT 1`;
  return rows.length > 0;
}

/**
 * Marks this study's ACTIVE assignments whose lease ran out as EXPIRED and gives their slots
 * back, in one statement. A concurrent run waits on the same assignment rows and then finds
 * them no longer ACTIVE, so a slot is never given back twice.
 */
export async function expireLeases(studyId: string, db: DbOrTx = prisma): Promise<number> {
  const rows = await expireLeasesQuery(studyId, db);
  return rows[0]?.n ?? 0;
}

/** The expiry statement itself, unsent. */
export function expireLeasesQuery(studyId: string, db: DbOrTx = prisma) {
  return db.$queryRaw<
    { n: number }[]
  >`WITH ${expiryCtes(studyId, Prisma.sql`true`)} SELECT count(*)::int AS n FROM exp`;
}

/**
 * Whether the person a `part` CTE (participationSql) reads is about to claim: a live study, not
 * paused, the latest instructions acknowledged. Lapsed leases are given back only then.
 */
export const claimingNow = Prisma.sql`EXISTS (SELECT 1 FROM part WHERE part."status" = 'LIVE' AND NOT part."isPaused" AND part."hasAcknowledgedLatest")`;

/**
 * expireLeases as CTEs (exp, dp, dm) to run inside another statement, only while `when` holds
 * (a condition on that statement's other CTEs).
 */
export function expiryCtes(studyId: string | Prisma.Sql, when: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    exp AS (
      UPDATE "Assignment" a SET "status" = 'EXPIRED'
      FROM "Pair" p
      WHERE p."id" = a."pairId" AND p."studyId" = ${studyId}::uuid AND a."status" = 'ACTIVE' AND a."leaseExpiresAt" < now()
        AND ${when}
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
    )`;
}

/** Gives back the slot of an assignment that just left ACTIVE (skip, flag). Same lock order as expireLeases. */
export async function releaseSlot(args: { studyId: string; pairId: string; userId: string }, db: DbOrTx = prisma) {
  await db.$executeRaw`UPDATE "Pair" SET "takenCount" = "takenCount" - 1 WHERE "id" = ${args.pairId}::uuid`;
  await db.$executeRaw`UPDATE "StudyParticipant" SET "claimedCount" = "claimedCount" - 1 WHERE "studyId" = ${args.studyId}::uuid AND "userId" = ${args.userId}::uuid`;
}

/** Runs a statement again when Postgres aborted it for a deadlock (between a claim and a lease expiry, say): that is safe. */
export async function retrying<T>(fn: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts || !isRetryable(err)) throw err;
    }
  }
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

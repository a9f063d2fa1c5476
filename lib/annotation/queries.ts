import { Prisma } from "@/lib/generated/prisma/client";
import { prisma, type DbOrTx } from "@/lib/db";
import { placeSides, SubmittedScoresSchema, type ItemView, type Preference } from "./schemas";

type StudyStatus = "DRAFT" | "LIVE" | "PAUSED" | "CLOSED";

export interface Participation {
  isPaused: boolean;
  pausedReason: string | null;
  /** Whether this person acknowledged the study's latest instructions version. */
  hasAcknowledgedLatest: boolean;
  study: {
    id: string;
    name: string;
    status: StudyStatus;
    design: "PAIRWISE" | "RANKING";
    annotatorsPerPair: number;
    maxPairsPerAnnotator: number | null;
    leaseMinutes: number;
    minGoldAccuracy: number | null;
  };
}

/**
 * This person's place in a study, with the study's settings and whether they acknowledged its
 * latest instructions. One statement: it runs on every claim, where each round trip through the
 * client costs more CPU than the lookups themselves.
 */
export async function findParticipation(
  studyId: string,
  userId: string,
  db: DbOrTx = prisma,
): Promise<Participation | null> {
  const rows = await db.$queryRaw<ParticipationRow[]>`${participationSql(studyId, userId)}`;
  return participationOf(rows[0]);
}

export type ParticipationRow = Omit<Participation, "study"> & Participation["study"];

/** findParticipation's query, to run as a CTE of a larger statement. */
export function participationSql(studyId: string | Prisma.Sql, userId: string): Prisma.Sql {
  return Prisma.sql`
    SELECT sp."isPaused", sp."pausedReason", s."id"::text AS "id", s."name", s."status"::text AS "status", s."design"::text AS "design",
           s."annotatorsPerPair", s."maxPairsPerAnnotator", s."leaseMinutes", s."minGoldAccuracy",
           EXISTS (
             SELECT 1 FROM "InstructionsAcknowledgement" ack
             WHERE ack."userId" = sp."userId" AND ack."instructionsVersionId" = (
               SELECT iv."id" FROM "InstructionsVersion" iv WHERE iv."studyId" = s."id" ORDER BY iv."version" DESC LIMIT 1)
           ) AS "hasAcknowledgedLatest"
    FROM "StudyParticipant" sp JOIN "Study" s ON s."id" = sp."studyId"
    WHERE sp."studyId" = ${studyId}::uuid AND sp."userId" = ${userId}::uuid`;
}

export function participationOf(row: ParticipationRow | undefined): Participation | null {
  if (!row) return null;
  const { isPaused, pausedReason, hasAcknowledgedLatest, ...study } = row;
  return { isPaused, pausedReason, hasAcknowledgedLatest, study };
}

/** The item texts of one assignment, placed left and right by the assignment's side order (one statement). */
export async function loadItemView(assignmentId: string, db: DbOrTx = prisma): Promise<ItemView | null> {
  const [a] = await db.$queryRaw<ItemRow[]>`
    SELECT a."id"::text AS "id", a."teacherOnLeft", i."source", t."text" AS "teacher",
           COALESCE(p."shownText", so."text") AS "student",
           r."scores", r."preference"::text AS "preference", r."revision"
    FROM "Assignment" a
      JOIN "Pair" p ON p."id" = a."pairId"
      JOIN "EvalItem" i ON i."id" = p."itemId"
      JOIN "Output" t ON t."id" = p."teacherOutputId"
      JOIN "Output" so ON so."id" = p."studentOutputId"
      LEFT JOIN "Rating" r ON r."assignmentId" = a."id"
    WHERE a."id" = ${assignmentId}::uuid`;
  return a ? itemViewOf(a) : null;
}

/** An assignment's texts, side order and any rating, as loadItemView and the claim statement read them. */
export interface ItemRow {
  id: string;
  teacherOnLeft: boolean;
  source: string;
  teacher: string;
  student: string;
  scores: unknown;
  preference: Preference | null;
  revision: number | null;
}

/** An item's row as the annotator's browser receives it. */
export function itemViewOf(a: ItemRow): ItemView {
  return {
    assignmentId: a.id,
    source: a.source,
    ...placeSides(a.teacherOnLeft, a.teacher, a.student),
    rating:
      a.revision !== null && a.preference !== null
        ? { scores: SubmittedScoresSchema.parse(a.scores), preference: a.preference, revision: a.revision }
        : null,
  };
}

/** This annotator's submitted and open items in one study: O(their own assignments). */
export async function myCounts(args: { studyId: string; userId: string }, db: DbOrTx = prisma) {
  const [row] = await db.$queryRaw<{ done: number; active: number }[]>`
    SELECT count(*) FILTER (WHERE a."status" = 'SUBMITTED')::int AS done, count(*) FILTER (WHERE a."status" = 'ACTIVE')::int AS active
    FROM "Assignment" a
    WHERE a."annotatorId" = ${args.userId}::uuid
      AND (SELECT p."studyId" FROM "Pair" p WHERE p."id" = a."pairId") = ${args.studyId}::uuid`;
  return row;
}

/**
 * How many more items this annotator could still get (one pair per item: the claim's blindness
 * rule), counted up to `room` when given, so with a cap the count stops early. Its cost still
 * grows with the open pairs it reads (all of them without a cap), so callers keep a large answer
 * a while (progress.ts).
 */
export async function openItemCount(
  args: { studyId: string; userId: string; k: number; room: number | null },
  db: DbOrTx = prisma,
): Promise<number> {
  if (args.room === 0) return 0;
  const [row] = await db.$queryRaw<{ open: number }[]>`
    WITH mine AS MATERIALIZED (
      SELECT x."itemId", x."pairId", x."status" FROM (
        -- Driven from this person's own assignments (a pair looked up per row), never from the study's pairs.
        SELECT (SELECT p2."itemId" FROM "Pair" p2 WHERE p2."id" = a."pairId" AND p2."studyId" = ${args.studyId}::uuid) AS "itemId",
               a."pairId", a."status"
        FROM "Assignment" a WHERE a."annotatorId" = ${args.userId}::uuid) x
      WHERE x."itemId" IS NOT NULL
    )
    SELECT count(*)::int AS open FROM (
      SELECT DISTINCT p."itemId" FROM "Pair" p
      WHERE p."studyId" = ${args.studyId}::uuid AND p."takenCount" < ${args.k}
        AND (p."itemId" NOT IN (SELECT "itemId" FROM mine) OR p."id" IN (SELECT "pairId" FROM mine WHERE "status" = 'EXPIRED'))
      LIMIT ${args.room}::int
    ) o`;
  return args.room === null ? row.open : Math.min(row.open, args.room);
}

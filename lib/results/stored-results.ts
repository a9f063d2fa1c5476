/**
 * Data access for stored results (StudyResultSnapshot): what the ratings look like now (the
 * stamp a snapshot is compared with), reading a snapshot, and storing one without ever replacing
 * a newer one.
 */
import { prisma, type DbOrTx } from "@/lib/db";
import type { Scale } from "./schemas";

/**
 * The version of the stored StudyResults: raise it whenever their shape or wording changes (a
 * field added or renamed, a sentence reworded). A snapshot stored under another version is treated
 * as missing, so after an upgrade no page shows an old shape or old wording until ratings change.
 */
export const RESULTS_FORMAT = 1;

/** What the results of a study depend on, read in one statement, with the database's clock. */
export interface ResultsStamp {
  ratingsCount: number;
  lastRatingAt: Date | null;
  /** Last change other than a rating that alters the results (an exclusion). */
  changedAt: Date | null;
  now: Date;
}

export async function readResultsStamp(studyId: string, db: DbOrTx = prisma): Promise<ResultsStamp> {
  const [row] = await db.$queryRaw<ResultsStamp[]>`
    SELECT count(*)::int AS "ratingsCount", max(r."updatedAt") AS "lastRatingAt", now() AS "now",
           (SELECT s."resultsChangedAt" FROM "Study" s WHERE s."id" = ${studyId}::uuid) AS "changedAt"
    FROM "Rating" r WHERE r."studyId" = ${studyId}::uuid`;
  return row;
}

export interface Snapshot {
  result: string;
  ratingsCount: number;
  lastRatingAt: Date | null;
  inputsAt: Date;
  computedAt: Date;
}

/** The stored snapshot of one scale in this code's format (null when none is stored, or one of another format). */
export async function readSnapshot(studyId: string, scale: Scale, db: DbOrTx = prisma): Promise<Snapshot | null> {
  const row = await db.studyResultSnapshot.findUnique({
    where: { studyId_scale: { studyId, scale } },
    select: { result: true, ratingsCount: true, lastRatingAt: true, inputsAt: true, computedAt: true, format: true },
  });
  if (!row || row.format !== RESULTS_FORMAT) return null;
  const { format: _format, ...snapshot } = row;
  return snapshot;
}

/**
 * The snapshot of one scale (null when none is stored) and the stamp to compare it with, in one
 * statement: a page view's staleness check is one round trip, and both are read at one instant.
 */
export async function readSnapshotAndStamp(
  studyId: string,
  scale: Scale,
  db: DbOrTx = prisma,
): Promise<{ snapshot: Snapshot | null; stamp: ResultsStamp }> {
  const [row] = await db.$queryRaw<
    (ResultsStamp & {
      result: string | null;
      snapshotRatingsCount: number | null;
      snapshotLastRatingAt: Date | null;
      inputsAt: Date | null;
      computedAt: Date | null;
    })[]
  >`
    SELECT st."ratingsCount", st."lastRatingAt", st."now", st."changedAt", s."result",
           s."ratingsCount" AS "snapshotRatingsCount", s."lastRatingAt" AS "snapshotLastRatingAt", s."inputsAt", s."computedAt"
    FROM (
      SELECT count(*)::int AS "ratingsCount", max(r."updatedAt") AS "lastRatingAt", now() AS "now",
             (SELECT x."resultsChangedAt" FROM "Study" x WHERE x."id" = ${studyId}::uuid) AS "changedAt"
      FROM "Rating" r WHERE r."studyId" = ${studyId}::uuid
    ) st
    LEFT JOIN "StudyResultSnapshot" s ON s."studyId" = ${studyId}::uuid AND s."scale" = ${scale} AND s."format" = ${RESULTS_FORMAT}`;
  const stamp = {
    ratingsCount: row.ratingsCount,
    lastRatingAt: row.lastRatingAt,
    changedAt: row.changedAt,
    now: row.now,
  };
  const snapshot =
    row.result === null
      ? null
      : {
          result: row.result,
          ratingsCount: row.snapshotRatingsCount!,
          lastRatingAt: row.snapshotLastRatingAt,
          inputsAt: row.inputsAt!,
          computedAt: row.computedAt!,
        };
  return { snapshot, stamp };
}

export async function storedScales(studyId: string, db: DbOrTx = prisma): Promise<Scale[]> {
  const rows = await db.studyResultSnapshot.findMany({ where: { studyId }, select: { scale: true } });
  return rows.map((r) => r.scale as Scale);
}

/** Whether the snapshot was computed from other ratings (or before an exclusion) than the stamp's. */
export function isStale(snapshot: Omit<Snapshot, "result">, stamp: ResultsStamp): boolean {
  return (
    snapshot.ratingsCount !== stamp.ratingsCount ||
    (snapshot.lastRatingAt?.getTime() ?? null) !== (stamp.lastRatingAt?.getTime() ?? null) ||
    (stamp.changedAt !== null && stamp.changedAt.getTime() > snapshot.inputsAt.getTime())
  );
}

/**
 * Stores a computation unless the row holds one that began reading later: two recomputes that
 * overlap (two workers, or a view and a worker) end in the newer result whatever order they finish.
 * A row of another format is always replaced. True when this one was stored.
 */
export async function storeSnapshot(
  args: { studyId: string; scale: Scale; result: string; stamp: ResultsStamp },
  db: DbOrTx = prisma,
): Promise<boolean> {
  const { studyId, scale, result, stamp } = args;
  const stored = await db.$queryRaw<{ studyId: string }[]>`
    INSERT INTO "StudyResultSnapshot" ("studyId", "scale", "result", "format", "ratingsCount", "lastRatingAt", "inputsAt", "computedAt")
    VALUES (${studyId}::uuid, ${scale}, ${result}, ${RESULTS_FORMAT}, ${stamp.ratingsCount}, ${stamp.lastRatingAt}, ${stamp.now}, ${new Date()})
    ON CONFLICT ("studyId", "scale") DO UPDATE
      SET "result" = EXCLUDED."result", "format" = EXCLUDED."format", "ratingsCount" = EXCLUDED."ratingsCount",
          "lastRatingAt" = EXCLUDED."lastRatingAt", "inputsAt" = EXCLUDED."inputsAt", "computedAt" = EXCLUDED."computedAt"
      WHERE "StudyResultSnapshot"."inputsAt" <= EXCLUDED."inputsAt" OR "StudyResultSnapshot"."format" <> EXCLUDED."format"
    RETURNING "studyId"::text AS "studyId"`;
  return stored.length > 0;
}

/**
 * Data access for results and exports. The large reads are single raw statements that select
 * only the columns the statistics need: 100,000 ratings must load and compute in under 2 s.
 */
import { prisma, type DbOrTx } from "@/lib/db";

export interface StudyHeader {
  id: string;
  name: string;
  status: string;
  annotatorsPerPair: number;
  evalSetId: string;
  teacherSystemId: string;
  teacherSettingsKey: string | null;
}

export async function findStudyHeader(studyId: string, db: DbOrTx = prisma): Promise<StudyHeader | null> {
  return db.study.findUnique({
    where: { id: studyId },
    select: { id: true, name: true, status: true, annotatorsPerPair: true, evalSetId: true, teacherSystemId: true, teacherSettingsKey: true },
  });
}

export interface StudySystemRow {
  id: string;
  name: string;
  role: "TEACHER" | "STUDENT";
  kind: string;
  parameterCount: number | null;
  sizeOnDiskBytes: number | null;
  settingsKey: string | null;
}

/** The teacher first, then the students by name. */
export async function listStudySystems(study: StudyHeader, db: DbOrTx = prisma): Promise<StudySystemRow[]> {
  const [teacher, students] = await Promise.all([
    db.system.findUniqueOrThrow({ where: { id: study.teacherSystemId }, select: { id: true, name: true, role: true, kind: true, parameterCount: true, sizeOnDiskBytes: true } }),
    db.studySystem.findMany({
      where: { studyId: study.id },
      select: { settingsKey: true, system: { select: { id: true, name: true, role: true, kind: true, parameterCount: true, sizeOnDiskBytes: true } } },
      orderBy: { system: { name: "asc" } },
    }),
  ]);
  const toRow = (s: typeof teacher, settingsKey: string | null): StudySystemRow => ({
    id: s.id,
    name: s.name,
    role: s.role as StudySystemRow["role"],
    kind: s.kind,
    parameterCount: s.parameterCount === null ? null : Number(s.parameterCount),
    sizeOnDiskBytes: s.sizeOnDiskBytes === null ? null : Number(s.sizeOnDiskBytes),
    settingsKey,
  });
  return [toRow(teacher, study.teacherSettingsKey), ...students.map((s) => toRow(s.system, s.settingsKey))];
}

/** Every criterion any instructions version of the study used, labels from the newest version. */
export async function listStudyCriteria(studyId: string, db: DbOrTx = prisma): Promise<{ key: string; label: string }[]> {
  const versions = await db.instructionsVersion.findMany({ where: { studyId }, select: { criteria: true }, orderBy: { version: "desc" } });
  const out = new Map<string, string>();
  for (const v of versions) {
    for (const c of Array.isArray(v.criteria) ? (v.criteria as { key?: unknown; label?: unknown }[]) : []) {
      if (typeof c?.key === "string" && !out.has(c.key)) out.set(c.key, typeof c.label === "string" ? c.label : c.key);
    }
  }
  return [...out].map(([key, label]) => ({ key, label }));
}

export async function countRatingsByKind(studyId: string, db: DbOrTx = prisma): Promise<{ real: number; simulated: number }> {
  const rows = await db.$queryRaw<{ isSimulated: boolean; n: number }[]>`
    SELECT "isSimulated", count(*)::int AS n FROM "Rating" WHERE "studyId" = ${studyId}::uuid GROUP BY "isSimulated"`;
  return { real: rows.find((r) => !r.isSimulated)?.n ?? 0, simulated: rows.find((r) => r.isSimulated)?.n ?? 0 };
}

export interface RatingRowDb {
  pairId: string;
  itemId: string;
  annotatorId: string;
  studentSystemId: string;
  kind: "REGULAR" | "GOLD" | "ATTENTION";
  teacherOnLeft: boolean;
  scores: Record<string, { left?: unknown; right?: unknown }>;
  preference: "LEFT" | "TIE" | "RIGHT";
  activeMs: number;
}

/** One row per rating of the study (real or simulated), with the pair's item, student and kind. */
export function loadRatingRows(args: { studyId: string; isSimulated: boolean }, db: DbOrTx = prisma): Promise<RatingRowDb[]> {
  return db.$queryRaw<RatingRowDb[]>`
    SELECT r."pairId"::text AS "pairId", p."itemId"::text AS "itemId", r."annotatorId"::text AS "annotatorId",
           p."studentSystemId"::text AS "studentSystemId", p."kind"::text AS "kind", r."teacherOnLeft", r."scores",
           r."preference"::text AS "preference", r."activeMs"
    FROM "Rating" r JOIN "Pair" p ON p."id" = r."pairId"
    WHERE r."studyId" = ${args.studyId}::uuid AND r."isSimulated" = ${args.isSimulated}`;
}

/** The known answers of the study's GOLD and ATTENTION pairs. */
export function loadCheckPairs(studyId: string, db: DbOrTx = prisma): Promise<{ id: string; kind: "GOLD" | "ATTENTION"; expected: unknown }[]> {
  return db.$queryRaw`
    SELECT "id"::text AS "id", "kind"::text AS "kind", "expected" FROM "Pair"
    WHERE "studyId" = ${studyId}::uuid AND "kind" <> 'REGULAR'`;
}

/** Pairs per student system and kind. */
export function countPairs(studyId: string, db: DbOrTx = prisma): Promise<{ studentSystemId: string; kind: string; n: number }[]> {
  return db.$queryRaw`
    SELECT "studentSystemId"::text AS "studentSystemId", "kind"::text AS "kind", count(*)::int AS n
    FROM "Pair" WHERE "studyId" = ${studyId}::uuid GROUP BY 1, 2`;
}

export interface ParticipantRow {
  userId: string;
  pseudonym: string;
  isPaused: boolean;
  pausedReason: string | null;
}

/** Participants by pseudonym; names and emails never leave this layer for results. */
export async function listParticipants(studyId: string, db: DbOrTx = prisma): Promise<ParticipantRow[]> {
  const rows = await db.studyParticipant.findMany({
    where: { studyId },
    select: { userId: true, isPaused: true, pausedReason: true, user: { select: { pseudonym: true } } },
  });
  return rows.map((r) => ({ userId: r.userId, pseudonym: r.user.pseudonym, isPaused: r.isPaused, pausedReason: r.pausedReason }));
}

export async function pseudonymsOf(userIds: string[], db: DbOrTx = prisma): Promise<Map<string, string>> {
  const rows = await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, pseudonym: true } });
  return new Map(rows.map((r) => [r.id, r.pseudonym]));
}

export interface LatencyRow {
  systemId: string;
  itemId: string;
  latencyMs: number | null;
  completionTokens: number | null;
}

/** Timing of every output the study compares (the study's settings of each system, its eval set). */
export function loadOutputTimings(args: { evalSetId: string; systems: { id: string; settingsKey: string | null }[] }, db: DbOrTx = prisma): Promise<LatencyRow[]> {
  const ids = args.systems.filter((s) => s.settingsKey).map((s) => s.id);
  const keys = args.systems.filter((s) => s.settingsKey).map((s) => s.settingsKey!);
  if (!ids.length) return Promise.resolve([]);
  return db.$queryRaw<LatencyRow[]>`
    SELECT o."systemId"::text AS "systemId", o."itemId"::text AS "itemId", o."latencyMs", o."completionTokens"
    FROM "Output" o
    JOIN "EvalItem" i ON i."id" = o."itemId"
    JOIN unnest(${ids}::uuid[], ${keys}::text[]) AS s(sid, skey) ON s.sid = o."systemId" AND s.skey = o."settingsKey"
    WHERE i."evalSetId" = ${args.evalSetId}::uuid`;
}

export interface StudyOutputRow {
  id: string;
  systemId: string;
  itemId: string;
  rank: number;
  text: string;
  source: string;
}

/** Every output the study compares (each system's study settings, all ranks), with its source. */
export function loadStudyOutputs(args: { evalSetId: string; systems: { id: string; settingsKey: string | null }[] }, db: DbOrTx = prisma): Promise<StudyOutputRow[]> {
  const withKey = args.systems.filter((s) => s.settingsKey);
  if (!withKey.length) return Promise.resolve([]);
  return db.$queryRaw<StudyOutputRow[]>`
    SELECT o."id"::text AS "id", o."systemId"::text AS "systemId", o."itemId"::text AS "itemId", o."rank", o."text", i."source"
    FROM "Output" o
    JOIN "EvalItem" i ON i."id" = o."itemId"
    JOIN unnest(${withKey.map((s) => s.id)}::uuid[], ${withKey.map((s) => s.settingsKey!)}::text[]) AS s(sid, skey)
      ON s.sid = o."systemId" AND s.skey = o."settingsKey"
    WHERE i."evalSetId" = ${args.evalSetId}::uuid
    ORDER BY i."position", o."systemId", o."rank"`;
}

/**
 * Mean human rating of each rated output per criterion, sides mapped back through
 * teacherOnLeft; REGULAR pairs only, paused annotators left out (as in the statistics).
 */
export function loadOutputRatingMeans(args: { studyId: string; isSimulated: boolean }, db: DbOrTx = prisma): Promise<{ outputId: string; criterion: string; mean: number; n: number }[]> {
  return db.$queryRaw`
    WITH r AS (
      SELECT r."scores", r."teacherOnLeft", p."teacherOutputId", p."studentOutputId"
      FROM "Rating" r
      JOIN "Pair" p ON p."id" = r."pairId"
      LEFT JOIN "StudyParticipant" sp ON sp."studyId" = r."studyId" AND sp."userId" = r."annotatorId"
      WHERE r."studyId" = ${args.studyId}::uuid AND r."isSimulated" = ${args.isSimulated} AND p."kind" = 'REGULAR'
        AND NOT coalesce(sp."isPaused", false)
    ), v AS (
      SELECT r."teacherOutputId" AS "outputId", e.key AS criterion,
             (CASE WHEN r."teacherOnLeft" THEN e.value->>'left' ELSE e.value->>'right' END)::float8 AS value
      FROM r, jsonb_each(r."scores") e
      UNION ALL
      SELECT r."studentOutputId", e.key, (CASE WHEN r."teacherOnLeft" THEN e.value->>'right' ELSE e.value->>'left' END)::float8
      FROM r, jsonb_each(r."scores") e
    )
    SELECT "outputId"::text AS "outputId", criterion, avg(value)::float8 AS mean, count(*)::int AS n
    FROM v WHERE value IS NOT NULL GROUP BY 1, 2`;
}

export interface ExportRow {
  id: string;
  pseudonym: string;
  externalId: string;
  source: string;
  kind: string;
  teacherOnLeft: boolean;
  teacherName: string;
  studentName: string;
  teacherText: string;
  studentText: string;
  scores: Record<string, { left?: unknown; right?: unknown }>;
  preference: "LEFT" | "TIE" | "RIGHT";
  instructionsVersion: number;
  activeMs: number;
  createdAt: Date;
  updatedAt: Date;
  revision: number;
  isSimulated: boolean;
}

/**
 * One page of a study's ratings with their provenance, after the rating id `after` (keyset
 * pagination, so a large export streams in constant memory). Annotators appear by pseudonym
 * only. For GOLD and ATTENTION pairs the student's place showed Pair.shownText.
 */
export function exportPage(args: { studyId: string; after: string | null; limit: number }, db: DbOrTx = prisma): Promise<ExportRow[]> {
  const after = args.after ?? "00000000-0000-0000-0000-000000000000";
  return db.$queryRaw<ExportRow[]>`
    SELECT r."id"::text AS "id", u."pseudonym", i."externalId", i."source", p."kind"::text AS "kind", r."teacherOnLeft",
           ts."name" AS "teacherName", ss."name" AS "studentName", tout."text" AS "teacherText",
           coalesce(p."shownText", sout."text") AS "studentText", r."scores", r."preference"::text AS "preference",
           iv."version" AS "instructionsVersion", r."activeMs", r."createdAt", r."updatedAt", r."revision", r."isSimulated"
    FROM "Rating" r
    JOIN "Pair" p ON p."id" = r."pairId"
    JOIN "EvalItem" i ON i."id" = p."itemId"
    JOIN "User" u ON u."id" = r."annotatorId"
    JOIN "Study" st ON st."id" = r."studyId"
    JOIN "System" ts ON ts."id" = st."teacherSystemId"
    JOIN "System" ss ON ss."id" = p."studentSystemId"
    JOIN "Output" tout ON tout."id" = p."teacherOutputId"
    JOIN "Output" sout ON sout."id" = p."studentOutputId"
    JOIN "InstructionsVersion" iv ON iv."id" = r."instructionsVersionId"
    WHERE r."studyId" = ${args.studyId}::uuid AND r."id" > ${after}::uuid
    ORDER BY r."id"
    LIMIT ${args.limit}`;
}

/**
 * Data access for results and exports. The large reads are single raw statements that select
 * only the columns the statistics need: 100,000 ratings must load and compute in under 2 s.
 */
import { CriteriaSchema, sideOfColumnSql, type Preference } from "@/lib/annotation";
import { prisma, type DbOrTx } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { parseCodes, parseIntegers, physicalOrder, readJsonNumbers } from "./rating-text";

export interface StudyHeader {
  id: string;
  name: string;
  status: string;
  annotatorsPerPair: number;
  maxPairsPerAnnotator: number | null;
  nonInferiorityMargin: number;
  evalSetId: string;
  teacherSystemId: string;
  teacherSettingsKey: string | null;
  design: "PAIRWISE" | "RANKING";
}

export async function findStudyHeader(studyId: string, db: DbOrTx = prisma): Promise<StudyHeader | null> {
  return db.study.findUnique({
    where: { id: studyId },
    select: {
      id: true,
      name: true,
      status: true,
      annotatorsPerPair: true,
      maxPairsPerAnnotator: true,
      nonInferiorityMargin: true,
      evalSetId: true,
      teacherSystemId: true,
      teacherSettingsKey: true,
      design: true,
    },
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
  /** Price per million prompt / completion tokens an admin set (any currency), for cost. */
  inputPrice?: number | null;
  outputPrice?: number | null;
  /** ONNX students: price per CPU-hour an admin set (same currency), for cost from recorded CPU time. */
  cpuHourPrice?: number | null;
}

const SYSTEM_COLUMNS = {
  id: true,
  name: true,
  role: true,
  kind: true,
  parameterCount: true,
  sizeOnDiskBytes: true,
  inputPricePerMTokens: true,
  outputPricePerMTokens: true,
  pricePerCpuHour: true,
} as const;

/** The teacher first, then the students by name. */
export async function listStudySystems(study: StudyHeader, db: DbOrTx = prisma): Promise<StudySystemRow[]> {
  const [teacher, students] = await Promise.all([
    db.system.findUniqueOrThrow({
      where: { id: study.teacherSystemId },
      select: SYSTEM_COLUMNS,
    }),
    db.studySystem.findMany({
      where: { studyId: study.id },
      select: {
        settingsKey: true,
        system: {
          select: SYSTEM_COLUMNS,
        },
      },
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
    inputPrice: s.inputPricePerMTokens,
    outputPrice: s.outputPricePerMTokens,
    cpuHourPrice: s.pricePerCpuHour,
  });
  return [toRow(teacher, study.teacherSettingsKey), ...students.map((s) => toRow(s.system, s.settingsKey))];
}

/** Every criterion any instructions version of the study used, labels from the newest version. */
export async function listStudyCriteria(
  studyId: string,
  db: DbOrTx = prisma,
): Promise<{ key: string; label: string }[]> {
  const versions = await db.instructionsVersion.findMany({
    where: { studyId },
    select: { criteria: true },
    orderBy: { version: "desc" },
  });
  const out = new Map<string, string>();
  for (const v of versions) {
    for (const c of CriteriaSchema.parse(v.criteria)) if (!out.has(c.key)) out.set(c.key, c.label);
  }
  return [...out].map(([key, label]) => ({ key, label }));
}

export async function countRatingsByKind(
  studyId: string,
  db: DbOrTx = prisma,
): Promise<{ real: number; simulated: number }> {
  const rows = await db.$queryRaw<{ isSimulated: boolean; n: number }[]>`
    SELECT "isSimulated", count(*)::int AS n FROM "Rating" WHERE "studyId" = ${studyId}::uuid GROUP BY "isSimulated"`;
  return { real: rows.find((r) => !r.isSimulated)?.n ?? 0, simulated: rows.find((r) => r.isSimulated)?.n ?? 0 };
}

/** One rating with its pair's item, student and kind (GOLD and ATTENTION ratings in RatingColumnsDb.checks). */
export interface RatingRowDb {
  pairId: string;
  itemId: string;
  annotatorId: string;
  studentSystemId: string;
  kind: "REGULAR" | "GOLD" | "ATTENTION";
  teacherOnLeft: boolean;
  scores: Record<string, { left?: unknown; right?: unknown }>;
  preference: Preference;
  activeMs: number;
}

export const KIND_REGULAR = 0;

/**
 * The study's ratings as columns, entry r for rating r, in physical order (see
 * loadRatingColumns). Ids are codes: pair, item and student codes number the study's pairs,
 * annotator codes index annotatorIds and student codes index studentSystemIds. Scores: per
 * criterion of the list, the left and right value, NaN where it is missing or not a number.
 */
export interface RatingColumnsDb {
  length: number;
  pair: Int32Array;
  item: Int32Array;
  annotator: Int32Array;
  student: Int32Array;
  /** 0 REGULAR (KIND_REGULAR), 1 GOLD, 2 ATTENTION. */
  kind: Uint8Array;
  teacherOnLeft: Uint8Array;
  /** 0 LEFT, 1 TIE, 2 RIGHT. */
  preference: Uint8Array;
  activeMs: Float64Array;
  left: Float64Array[];
  right: Float64Array[];
  annotatorIds: string[];
  studentSystemIds: string[];
  /** The GOLD and ATTENTION ratings in full, for checking their answers. */
  checks: RatingRowDb[];
}

interface RatingColumnsRaw {
  /** The pairs' and annotators' count and id hash: both halves of a load must agree on it. */
  numbering: string;
  codes: string | null;
  /** Some rating's annotator has no participant row (its code is a placeholder): number from the ratings. */
  unnumbered: boolean | null;
  annotators: string[] | null;
  scores: string | null;
  studentSystemIds: string[] | null;
  pairCodes: string | null;
  checks: (RatingRowDb & { ctid?: string })[] | null;
}

/**
 * Every rating of the study (real or simulated), as columns. 100,000 rows of nine columns
 * through the driver cost about a second; here they travel as two long texts (per rating, its
 * place in the table and integer codes with the pair and annotator; the criteria's left and
 * right values as jsonb texts), a fraction of it, beside one short text of each pair's item,
 * student and kind codes and the few annotator ids. Pair, item and student codes number the
 * study's 20,000 pairs.
 *
 * The ratings are returned in physical order (ctid): the order a plain scan of Rating returns
 * and the figures have always used (items are numbered by first appearance, which the seeded
 * bootstrap draws depend on). Postgres sends each rating's ctid and the order is restored
 * here, where it costs a check (the scan already returns that order) or a sort of 100,000
 * numbers: an ORDER BY ctid in the query sorted the whole wide input and spilled it to disk,
 * and reading it twice (for the annotator codes) stored it on disk too; together over half of
 * the query's time. The scores are picked out of the jsonb in the query rather than sent whole
 * (a tenth of the text to receive and read).
 */
export async function loadRatingColumns(
  args: { studyId: string; isSimulated: boolean; criteria: readonly string[] },
  db: DbOrTx = prisma,
): Promise<RatingColumnsDb> {
  const C = args.criteria.length;
  // Each criterion's left then right value, each ended by \x1f (see readJsonNumbers).
  const values = args.criteria.flatMap((key) =>
    ["left", "right"].map((side) => Prisma.sql`coalesce((r."scores"->${key}::text->${side}::text)::text, '')`),
  );
  const scores = C
    ? Prisma.sql`string_agg(${Prisma.join(values, ` || E'\x1f' || `)} || E'\x1f', '')`
    : Prisma.sql`NULL`;
  // Annotators are numbered from the study's participants (a small table), which every annotator
  // who claimed work has; numbering them from the ratings themselves costs a second full read of
  // the study's ratings. Ratings by someone without a participant row (made outside the claim)
  // are rare: the query then runs again, numbering from the ratings.
  // Most of the query's time is PostgreSQL building the texts, one rating after another. Outside
  // a transaction it runs as two queries at once, the ratings of even and of odd pairs (codes
  // numbered the same way in both), so two backends share it; the small texts come with the first.
  const query = (numbering: "participants" | "ratings", half: 0 | 1 | null) => {
    const a =
      numbering === "participants"
        ? Prisma.sql`SELECT "userId" AS "annotatorId", (row_number() OVER (ORDER BY "userId"))::int - 1 AS "code"
                     FROM "StudyParticipant" WHERE "studyId" = ${args.studyId}::uuid`
        : Prisma.sql`SELECT "annotatorId", (row_number() OVER (ORDER BY "annotatorId"))::int - 1 AS "code" FROM (
                       SELECT DISTINCT "annotatorId" FROM "Rating" WHERE "studyId" = ${args.studyId}::uuid AND "isSimulated" = ${args.isSimulated}
                     ) d`;
    const isFirst = half !== 1;
    return db.$queryRaw<RatingColumnsRaw[]>`
    WITH p AS (
      SELECT "id", "kind", "itemId", "studentSystemId",
             (row_number() OVER (ORDER BY "itemId", "id"))::int - 1 AS "pair",
             (dense_rank() OVER (ORDER BY "itemId"))::int - 1 AS "item",
             (dense_rank() OVER (ORDER BY "studentSystemId"))::int - 1 AS "student"
      FROM "Pair" WHERE "studyId" = ${args.studyId}::uuid
    ), a AS (${a})
    SELECT (SELECT count(*) || ':' || coalesce(sum(hashtext("id"::text)), 0) FROM p) || '/' ||
           (SELECT count(*) || ':' || coalesce(sum(hashtext("annotatorId"::text)), 0) FROM a) AS "numbering",
           string_agg(concat_ws(',', r."ctid", p."pair", coalesce(a."code", 0), r."teacherOnLeft"::int,
             CASE r."preference" WHEN 'LEFT' THEN 0 WHEN 'TIE' THEN 1 ELSE 2 END, r."activeMs"), ',') AS "codes",
           bool_or(a."code" IS NULL) AS "unnumbered",
           ${isFirst ? Prisma.sql`(SELECT array_agg("annotatorId"::text ORDER BY "code") FROM a)` : Prisma.sql`NULL`} AS "annotators",
           ${scores} AS "scores",
           ${isFirst ? Prisma.sql`(SELECT array_agg(s::text ORDER BY s) FROM (SELECT DISTINCT "studentSystemId" AS s FROM p) d)` : Prisma.sql`NULL`} AS "studentSystemIds",
           ${isFirst ? Prisma.sql`(SELECT string_agg(concat_ws(',', "item", "student", CASE "kind" WHEN 'REGULAR' THEN 0 WHEN 'GOLD' THEN 1 ELSE 2 END), ',' ORDER BY "pair") FROM p)` : Prisma.sql`NULL`} AS "pairCodes",
           jsonb_agg(jsonb_build_object(
             'pairId', r."pairId", 'itemId', p."itemId", 'annotatorId', r."annotatorId", 'studentSystemId', p."studentSystemId",
             'kind', p."kind", 'teacherOnLeft', r."teacherOnLeft", 'scores', r."scores", 'preference', r."preference", 'activeMs', r."activeMs",
             'ctid', r."ctid"::text
           )) FILTER (WHERE p."kind" <> 'REGULAR') AS "checks"
    FROM "Rating" r JOIN p ON p."id" = r."pairId" LEFT JOIN a ON a."annotatorId" = r."annotatorId"
    WHERE r."studyId" = ${args.studyId}::uuid AND r."isSimulated" = ${args.isSimulated}
      ${half === null ? Prisma.empty : Prisma.sql`AND p."pair" % 2 = ${half}`}`;
  };
  // A transaction has one connection: the halves would only queue there.
  const inHalves = typeof (db as { $transaction?: unknown }).$transaction === "function";
  const load = async (numbering: "participants" | "ratings") => {
    if (!inHalves) return (await query(numbering, null))[0];
    const [[even], [odd]] = await Promise.all([query(numbering, 0), query(numbering, 1)]);
    // Pairs or annotators added between the two reads number the halves differently: read again, whole.
    return even.numbering === odd.numbering ? joinHalves(even, odd) : (await query(numbering, null))[0];
  };
  let raw = await load("participants");
  if (raw.unnumbered) raw = await load("ratings");
  // Per rating: ctid block and offset, pair, annotator, teacherOnLeft, preference, activeMs.
  // Item, student and kind are the pair's, looked up here once per pair rather than joined
  // into every rating's text.
  const FIELDS = 7;
  const codes = new Float64Array(raw.codes ? raw.codes.length / 2 + 1 : 0);
  const n = raw.codes ? parseCodes(raw.codes, codes) / FIELDS : 0;
  // Arrival position of the rating in physical place r.
  const order = physicalOrder(codes, n, FIELDS);
  const column = <T extends Int32Array | Uint8Array | Float64Array>(make: new (n: number) => T, field: number) => {
    const out = new make(n);
    for (let r = 0; r < n; r++) out[r] = codes[order[r] * FIELDS + field];
    return out;
  };
  const pair = column(Int32Array, 2);
  // Per pair: item, student and kind codes.
  const pairCodes = new Float64Array(raw.pairCodes ? raw.pairCodes.length / 2 + 1 : 0);
  if (raw.pairCodes) parseIntegers(raw.pairCodes, pairCodes);
  const byPair = <T extends Int32Array | Uint8Array>(make: new (n: number) => T, field: number) => {
    const out = new make(n);
    for (let r = 0; r < n; r++) out[r] = pairCodes[pair[r] * 3 + field];
    return out;
  };
  // Annotators: a few dozen ids, numbered here by first appearance (SQL's codes are arbitrary).
  const annotatorIds: string[] = [];
  const annotator = new Int32Array(n);
  const sqlAnnotators = raw.annotators ?? [];
  const renumbered = new Int32Array(sqlAnnotators.length).fill(-1);
  for (let r = 0; r < n; r++) {
    const code = codes[order[r] * FIELDS + 3];
    let a = renumbered[code];
    if (a < 0) {
      a = renumbered[code] = annotatorIds.length;
      annotatorIds.push(sqlAnnotators[code]);
    }
    annotator[r] = a;
  }
  const left = Array.from({ length: C }, () => new Float64Array(n).fill(NaN));
  const right = Array.from({ length: C }, () => new Float64Array(n).fill(NaN));
  if (C && raw.scores) {
    readJsonNumbers(
      raw.scores,
      left.flatMap((l, c) => [l, right[c]]),
    );
    if (!isIdentity(order)) {
      for (const values of [...left, ...right]) values.set(values.map((_, r) => values[order[r]]));
    }
  }
  return {
    length: n,
    pair,
    item: byPair(Int32Array, 0),
    annotator,
    student: byPair(Int32Array, 1),
    kind: byPair(Uint8Array, 2),
    teacherOnLeft: column(Uint8Array, 4),
    preference: column(Uint8Array, 5),
    activeMs: column(Float64Array, 6),
    left,
    right,
    annotatorIds,
    studentSystemIds: raw.studentSystemIds ?? [],
    checks: inPhysicalOrder(raw.checks ?? []),
  };
}

/** The two halves' results as one (the first carries the small texts; the order is restored later). */
function joinHalves(first: RatingColumnsRaw, second: RatingColumnsRaw): RatingColumnsRaw {
  const join = (x: string | null, y: string | null, separator: string) =>
    x === null ? y : y === null ? x : x + separator + y;
  return {
    ...first,
    codes: join(first.codes, second.codes, ","),
    // Each rating's values end with their separator: the texts join as they are.
    scores: join(first.scores, second.scores, ""),
    unnumbered: Boolean(first.unnumbered || second.unnumbered),
    checks: first.checks || second.checks ? [...(first.checks ?? []), ...(second.checks ?? [])] : null,
  };
}

function isIdentity(order: Int32Array): boolean {
  for (let r = 0; r < order.length; r++) if (order[r] !== r) return false;
  return true;
}

function inPhysicalOrder(checks: (RatingRowDb & { ctid?: string })[]): RatingRowDb[] {
  const place = (ctid: string | undefined) => {
    const [block, offset] = (ctid ?? "(0,0)").slice(1, -1).split(",").map(Number);
    return block * 65536 + offset;
  };
  return checks
    .map((check) => ({ check, at: place(check.ctid) }))
    .sort((x, y) => x.at - y.at)
    .map(({ check: { ctid: _ctid, ...row } }) => row);
}

/** The known answers of the study's GOLD and ATTENTION pairs. */
export function loadCheckPairs(
  studyId: string,
  db: DbOrTx = prisma,
): Promise<{ id: string; kind: "GOLD" | "ATTENTION"; expected: unknown }[]> {
  return db.$queryRaw`
    SELECT "id"::text AS "id", "kind"::text AS "kind", "expected" FROM "Pair"
    WHERE "studyId" = ${studyId}::uuid AND "kind" <> 'REGULAR'`;
}

/** Pairs per student system and kind. */
export function countPairs(
  studyId: string,
  db: DbOrTx = prisma,
): Promise<{ studentSystemId: string; kind: string; n: number }[]> {
  return db.$queryRaw`
    SELECT "studentSystemId"::text AS "studentSystemId", "kind"::text AS "kind", count(*)::int AS n
    FROM "Pair" WHERE "studyId" = ${studyId}::uuid GROUP BY 1, 2`;
}

/** Items with a regular pair in the study: the most items its statistics can have. */
export async function countRegularItems(studyId: string, db: DbOrTx = prisma): Promise<number> {
  const [row] = await db.$queryRaw<{ n: number }[]>`
    SELECT count(DISTINCT "itemId")::int AS n FROM "Pair" WHERE "studyId" = ${studyId}::uuid AND "kind" = 'REGULAR'`;
  return row?.n ?? 0;
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
  return rows.map((r) => ({
    userId: r.userId,
    pseudonym: r.user.pseudonym,
    isPaused: r.isPaused,
    pausedReason: r.pausedReason,
  }));
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
  /** Every output of one teacher request carries that request's prompt tokens (cost counts them once per item). */
  promptTokens?: number | null;
  cpuMs?: number | null;
}

/** Timing of every output the study compares (the study's settings of each system, its eval set). */
export function loadOutputTimings(
  args: { evalSetId: string; systems: { id: string; settingsKey: string | null }[] },
  db: DbOrTx = prisma,
): Promise<LatencyRow[]> {
  const ids = args.systems.filter((s) => s.settingsKey).map((s) => s.id);
  const keys = args.systems.filter((s) => s.settingsKey).map((s) => s.settingsKey!);
  if (!ids.length) return Promise.resolve([]);
  return db.$queryRaw<LatencyRow[]>`
    SELECT o."systemId"::text AS "systemId", o."itemId"::text AS "itemId", o."latencyMs", o."completionTokens",
           o."promptTokens", o."cpuMs"
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
export function loadStudyOutputs(
  args: { evalSetId: string; systems: { id: string; settingsKey: string | null }[] },
  db: DbOrTx = prisma,
): Promise<StudyOutputRow[]> {
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
export function loadOutputRatingMeans(
  args: { studyId: string; isSimulated: boolean },
  db: DbOrTx = prisma,
): Promise<{ outputId: string; criterion: string; mean: number; n: number }[]> {
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
             (e.value->>${sideOfColumnSql("teacher", "r")})::float8 AS value
      FROM r, jsonb_each(r."scores") e
      UNION ALL
      SELECT r."studentOutputId", e.key, (e.value->>${sideOfColumnSql("student", "r")})::float8
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
  preference: Preference;
  instructionsVersion: number;
  activeMs: number;
  createdAt: Date;
  updatedAt: Date;
  revision: number;
  isSimulated: boolean;
  /** RANKING studies: the screen the rating was read off (rows of one screen share it), its size and the two texts' ranks. */
  screenId: string | null;
  screenTexts: number | null;
  teacherRank: number | null;
  studentRank: number | null;
}

/** A study's design (PAIRWISE or RANKING). */
export async function findStudyDesign(studyId: string, db: DbOrTx = prisma) {
  const s = await db.study.findUnique({ where: { id: studyId }, select: { design: true } });
  return s?.design ?? null;
}

/**
 * One page of a study's ratings with their provenance, after the rating id `after` (keyset
 * pagination, so a large export streams in constant memory). Annotators appear by pseudonym
 * only. For GOLD and ATTENTION pairs the student's place showed Pair.shownText.
 */
export function exportPage(
  args: { studyId: string; after: string | null; limit: number },
  db: DbOrTx = prisma,
): Promise<ExportRow[]> {
  const after = args.after ?? "00000000-0000-0000-0000-000000000000";
  return db.$queryRaw<ExportRow[]>`
    SELECT r."id"::text AS "id", u."pseudonym", i."externalId", i."source", p."kind"::text AS "kind", r."teacherOnLeft",
           ts."name" AS "teacherName", ss."name" AS "studentName", tout."text" AS "teacherText",
           coalesce(p."shownText", sout."text") AS "studentText", r."scores", r."preference"::text AS "preference",
           iv."version" AS "instructionsVersion", r."activeMs", r."createdAt", r."updatedAt", r."revision", r."isSimulated",
           rs."id"::text AS "screenId", jsonb_array_length(rs."shownOrder") AS "screenTexts",
           (rs."ranks" -> (SELECT (o.n - 1)::int FROM jsonb_array_elements(rs."shownOrder") WITH ORDINALITY o(v, n)
                           WHERE o.v = 'null'::jsonb))::int AS "teacherRank",
           (rs."ranks" -> (SELECT (o.n - 1)::int FROM jsonb_array_elements(rs."shownOrder") WITH ORDINALITY o(v, n)
                           WHERE o.v = to_jsonb(r."pairId"::text)))::int AS "studentRank"
    FROM "Rating" r
    JOIN "Assignment" a ON a."id" = r."assignmentId"
    LEFT JOIN "RankingScreen" rs ON rs."id" = a."screenId"
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

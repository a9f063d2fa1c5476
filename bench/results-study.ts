/**
 * A study of 100,000 ratings for the results bench, built in SQL (a few seconds) and reused:
 * 5,000 items, a teacher and 4 students, 20,000 pairs, 5 annotators per pair from a pool of 60,
 * four 1-5 criteria and a preference per rating, students slightly below the teacher.
 */
import type { Db } from "@/lib/db";
import { DEFAULT_CRITERIA } from "@/lib/studies";

const NAME = "bench-100k";
const ITEMS = 5000;
const STUDENTS = 4;
const K = 5;
const POOL = 60;

export async function ensureBenchStudy(db: Db): Promise<{ studyId: string; ratings: number; created: boolean }> {
  const existing = await db.study.findUnique({
    where: { name: NAME },
    select: { id: true, _count: { select: { ratings: true } } },
  });
  if (existing && existing._count.ratings === ITEMS * STUDENTS * K) {
    await analyze(db);
    return { studyId: existing.id, ratings: existing._count.ratings, created: false };
  }
  if (existing) {
    await db.rating.deleteMany({ where: { studyId: existing.id } });
    await db.study.delete({ where: { id: existing.id } });
  }
  await db.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`DELETE FROM "EvalSet" WHERE "name" = '${NAME} set'`);
      await tx.$executeRawUnsafe(`DELETE FROM "System" WHERE "name" LIKE '${NAME} %'`);
      await tx.$executeRawUnsafe(`DELETE FROM "User" WHERE "email" LIKE '${NAME}-%'`);
      await tx.$executeRawUnsafe(`
      INSERT INTO "User" ("id", "email", "name", "role", "pseudonym", "updatedAt")
      SELECT gen_random_uuid(), '${NAME}-' || g || '@bench.local', 'Bench ' || g, 'ANNOTATOR', '${NAME}-a' || g, now() FROM generate_series(1, ${POOL}) g`);
      await tx.$executeRawUnsafe(`INSERT INTO "EvalSet" ("id", "name") VALUES (gen_random_uuid(), '${NAME} set')`);
      await tx.$executeRawUnsafe(`
      INSERT INTO "EvalItem" ("id", "evalSetId", "externalId", "position", "source", "references")
      SELECT gen_random_uuid(), e."id", 'b' || g, g, 'Bench source sentence number ' || g || '.', '{}' FROM "EvalSet" e, generate_series(1, ${ITEMS}) g
      WHERE e."name" = '${NAME} set'`);
      await tx.$executeRawUnsafe(`
      INSERT INTO "System" ("id", "name", "role", "kind", "parameterCount", "sizeOnDiskBytes")
      VALUES (gen_random_uuid(), '${NAME} teacher', 'TEACHER', 'LLM_API', NULL, NULL)`);
      await tx.$executeRawUnsafe(`
      INSERT INTO "System" ("id", "name", "role", "kind", "parameterCount", "sizeOnDiskBytes")
      SELECT gen_random_uuid(), '${NAME} student ' || g, 'STUDENT', 'ONNX_MODEL', 700000 * g, 2800000 * g FROM generate_series(1, ${STUDENTS}) g`);
      await tx.$executeRawUnsafe(`
      INSERT INTO "Output" ("id", "itemId", "systemId", "settingsKey", "settings", "rank", "text", "latencyMs", "completionTokens")
      SELECT gen_random_uuid(), i."id", s."id", 'k', '{}', 0, s."name" || ' paraphrase of ' || i."source",
             CASE WHEN s."role" = 'TEACHER' THEN 600 + random() * 900 ELSE 8 + random() * 20 END, 12
      FROM "EvalItem" i JOIN "EvalSet" e ON e."id" = i."evalSetId", "System" s
      WHERE e."name" = '${NAME} set' AND s."name" LIKE '${NAME} %'`);
      await tx.$executeRawUnsafe(`
      INSERT INTO "Study" ("id", "name", "status", "evalSetId", "teacherSystemId", "teacherSettingsKey", "annotatorsPerPair")
      SELECT gen_random_uuid(), '${NAME}', 'CLOSED', e."id", s."id", 'k', ${K} FROM "EvalSet" e, "System" s
      WHERE e."name" = '${NAME} set' AND s."name" = '${NAME} teacher'`);
      await tx.$executeRaw`
      INSERT INTO "InstructionsVersion" ("id", "studyId", "version", "markdown", "criteria")
      SELECT gen_random_uuid(), st."id", 1, 'bench', ${JSON.stringify(DEFAULT_CRITERIA)}::jsonb FROM "Study" st WHERE st."name" = ${NAME}`;
      await tx.$executeRawUnsafe(`
      INSERT INTO "StudySystem" ("studyId", "systemId", "settingsKey")
      SELECT st."id", s."id", 'k' FROM "Study" st, "System" s WHERE st."name" = '${NAME}' AND s."name" LIKE '${NAME} student %'`);
      await tx.$executeRawUnsafe(`
      INSERT INTO "StudyParticipant" ("studyId", "userId")
      SELECT st."id", u."id" FROM "Study" st, "User" u WHERE st."name" = '${NAME}' AND u."email" LIKE '${NAME}-%'`);
      await tx.$executeRawUnsafe(`
      INSERT INTO "Pair" ("id", "studyId", "itemId", "teacherOutputId", "studentOutputId", "studentSystemId", "takenCount")
      SELECT gen_random_uuid(), st."id", i."id", tout."id", sout."id", sout."systemId", ${K}
      FROM "Study" st JOIN "EvalItem" i ON i."evalSetId" = st."evalSetId"
      JOIN "Output" tout ON tout."itemId" = i."id" AND tout."systemId" = st."teacherSystemId"
      JOIN "StudySystem" ss ON ss."studyId" = st."id"
      JOIN "Output" sout ON sout."itemId" = i."id" AND sout."systemId" = ss."systemId"
      WHERE st."name" = '${NAME}'`);
      await tx.$executeRawUnsafe(`
      WITH p AS (SELECT pr."id", row_number() OVER (ORDER BY pr."id") AS n FROM "Pair" pr JOIN "Study" st ON st."id" = pr."studyId" WHERE st."name" = '${NAME}'),
           a AS (SELECT u."id", row_number() OVER (ORDER BY u."email") - 1 AS n FROM "User" u WHERE u."email" LIKE '${NAME}-%')
      INSERT INTO "Assignment" ("id", "pairId", "annotatorId", "status", "teacherOnLeft", "leaseExpiresAt", "finishedAt")
      SELECT gen_random_uuid(), p."id", a."id", 'SUBMITTED', random() < 0.5, now(), now()
      FROM p, generate_series(0, ${K - 1}) j JOIN a ON true
      WHERE a.n = (p.n * ${K} + j) % ${POOL}`);
      // Teacher ~ 4.2 meaning, students ~ 0.2 lower; each value an integer 1..5.
      await tx.$executeRawUnsafe(`
      WITH r AS (
        SELECT a."id" AS aid, a."pairId", a."annotatorId", a."teacherOnLeft", p."studyId",
               (SELECT iv."id" FROM "InstructionsVersion" iv WHERE iv."studyId" = p."studyId" LIMIT 1) AS ivid
        FROM "Assignment" a JOIN "Pair" p ON p."id" = a."pairId" JOIN "Study" st ON st."id" = p."studyId" WHERE st."name" = '${NAME}'
      ), v AS (
        SELECT r.*, (SELECT jsonb_object_agg(c, jsonb_build_object('t', t, 's', s)) FROM (
          SELECT c, greatest(1, least(5, round(3.8 + random() * 1.6 + (random() - 0.5))))::int AS t,
                    greatest(1, least(5, round(3.6 + random() * 1.6 + (random() - 0.5))))::int AS s
          FROM unnest(ARRAY['meaning','fluency','lexical_diversity','syntactic_diversity']) c WHERE r.aid IS NOT NULL) x) AS ts
        FROM r
      )
      INSERT INTO "Rating" ("id", "assignmentId", "studyId", "pairId", "annotatorId", "instructionsVersionId", "teacherOnLeft", "scores", "preference", "activeMs", "updatedAt")
      SELECT gen_random_uuid(), v.aid, v."studyId", v."pairId", v."annotatorId", v.ivid, v."teacherOnLeft",
             (SELECT jsonb_object_agg(k, CASE WHEN v."teacherOnLeft" THEN jsonb_build_object('left', val->'t', 'right', val->'s') ELSE jsonb_build_object('left', val->'s', 'right', val->'t') END) FROM jsonb_each(v.ts) e(k, val)),
             (ARRAY['LEFT','TIE','RIGHT'])[1 + floor(random() * 3)::int]::"Preference",
             (8000 + random() * 30000)::int, now()
      FROM v`);
    },
    { timeout: 600_000 },
  );
  const study = await db.study.findUniqueOrThrow({
    where: { name: NAME },
    select: { id: true, _count: { select: { ratings: true } } },
  });
  await analyze(db);
  return { studyId: study.id, ratings: study._count.ratings, created: true };
}

/**
 * Table statistics as a running database has them: autovacuum analyzes a table within a minute of
 * 100,000 inserts, but the bench's database lives for seconds, so without this the planner would
 * plan on empty-table estimates no real deployment sees.
 */
async function analyze(db: Db) {
  await db.$executeRawUnsafe(`ANALYZE "Rating", "Pair", "StudyParticipant", "Assignment"`);
}

/**
 * The annotation bench's study, built in SQL in a few seconds: 5,000 items x 4 students = 20,000
 * pairs, k annotators per pair, a pool of annotators who have all read the instructions and share
 * one password, and a per-person cap that adds up to exactly k ratings per pair.
 */
import pg from "pg";
import { hashPassword } from "@/lib/auth/password";
import { DEFAULT_CRITERIA } from "@/lib/studies";

export interface BenchStudy {
  studyId: string;
  versionId: string;
  annotators: { email: string }[];
  password: string;
  k: number;
  cap: number;
}

export async function buildStudy(
  client: pg.Client,
  opts: { tag: string; items: number; students: number; annotators: number; k: number },
): Promise<BenchStudy> {
  const { tag, items, students, annotators, k } = opts;
  const cap = Math.ceil((items * students * k) / annotators);
  const password = "bench-annotator-password";
  const hash = await hashPassword(password);
  await client.query("BEGIN");
  await client.query(
    `INSERT INTO "User" ("id", "email", "name", "role", "pseudonym", "passwordHash", "updatedAt")
     SELECT gen_random_uuid(), $1 || '-' || g || '@bench.local', 'Bench ' || g, 'ANNOTATOR', $1 || '-a' || g, $2, now()
     FROM generate_series(1, $3::int) g`,
    [tag, hash, annotators],
  );
  const set = await client.query(`INSERT INTO "EvalSet" ("id", "name") VALUES (gen_random_uuid(), $1) RETURNING "id"`, [
    `${tag} set`,
  ]);
  const setId = set.rows[0].id;
  await client.query(
    `INSERT INTO "EvalItem" ("id", "evalSetId", "externalId", "position", "source", "references")
     SELECT gen_random_uuid(), $1, 'b' || g, g, 'Bench source sentence number ' || g || '.', '{}' FROM generate_series(1, $2::int) g`,
    [setId, items],
  );
  await client.query(
    `INSERT INTO "System" ("id", "name", "role", "kind") VALUES (gen_random_uuid(), $1 || ' teacher', 'TEACHER', 'EXTERNAL')`,
    [tag],
  );
  await client.query(
    `INSERT INTO "System" ("id", "name", "role", "kind")
     SELECT gen_random_uuid(), $1 || ' student ' || g, 'STUDENT', 'EXTERNAL' FROM generate_series(1, $2::int) g`,
    [tag, students],
  );
  await client.query(
    `INSERT INTO "Output" ("id", "itemId", "systemId", "settingsKey", "settings", "rank", "text")
     SELECT gen_random_uuid(), i."id", s."id", 'k', '{}', 0, 'A paraphrase of ' || i."source"
     FROM "EvalItem" i, "System" s WHERE i."evalSetId" = $1 AND s."name" LIKE $2 || ' %'`,
    [setId, tag],
  );
  const study = await client.query(
    `INSERT INTO "Study" ("id", "name", "status", "evalSetId", "teacherSystemId", "teacherSettingsKey", "annotatorsPerPair",
       "maxPairsPerAnnotator", "launchedAt")
     SELECT gen_random_uuid(), $1, 'LIVE', $2, s."id", 'k', $3, $4, now() FROM "System" s WHERE s."name" = $1 || ' teacher'
     RETURNING "id"`,
    [tag, setId, k, cap],
  );
  const studyId = study.rows[0].id;
  const version = await client.query(
    `INSERT INTO "InstructionsVersion" ("id", "studyId", "version", "markdown", "criteria")
     VALUES (gen_random_uuid(), $1, 1, 'Rate both sides.', $2::jsonb) RETURNING "id"`,
    [studyId, JSON.stringify(DEFAULT_CRITERIA)],
  );
  const versionId = version.rows[0].id;
  await client.query(
    `INSERT INTO "StudySystem" ("studyId", "systemId", "settingsKey")
     SELECT $1, s."id", 'k' FROM "System" s WHERE s."name" LIKE $2 || ' student %'`,
    [studyId, tag],
  );
  await client.query(
    `INSERT INTO "StudyParticipant" ("studyId", "userId") SELECT $1, u."id" FROM "User" u WHERE u."email" LIKE $2 || '-%@bench.local'`,
    [studyId, tag],
  );
  await client.query(
    `INSERT INTO "InstructionsAcknowledgement" ("userId", "instructionsVersionId")
     SELECT u."id", $1 FROM "User" u WHERE u."email" LIKE $2 || '-%@bench.local'`,
    [versionId, tag],
  );
  await client.query(
    `INSERT INTO "Pair" ("id", "studyId", "itemId", "teacherOutputId", "studentOutputId", "studentSystemId")
     SELECT gen_random_uuid(), $1, i."id", t."id", o."id", o."systemId"
     FROM "EvalItem" i JOIN "Output" t ON t."itemId" = i."id" JOIN "System" ts ON ts."id" = t."systemId" AND ts."role" = 'TEACHER'
     JOIN "Output" o ON o."itemId" = i."id" JOIN "System" ss ON ss."id" = o."systemId" AND ss."role" = 'STUDENT'
     WHERE i."evalSetId" = $2`,
    [studyId, setId],
  );
  await client.query("COMMIT");
  await client.query(`ANALYZE "Pair"; ANALYZE "Assignment"; ANALYZE "StudyParticipant"`);
  return {
    studyId,
    versionId,
    annotators: Array.from({ length: annotators }, (_, i) => ({ email: `${tag}-${i + 1}@bench.local` })),
    password,
    k,
    cap,
  };
}

/** The bench's invariants, read from the database: an empty list when every one holds. */
export async function checkInvariants(client: pg.Client, s: BenchStudy): Promise<string[]> {
  const problems: string[] = [];
  const q = async (sql: string, label: string) => {
    // Only the parameters the query names, numbered in order of first use.
    const names = [...new Set([...sql.matchAll(/\$(\d)/g)].map((m) => m[1]))];
    const values = { "1": s.studyId, "2": s.k, "3": s.cap } as Record<string, unknown>;
    const text = sql.replace(/\$(\d)/g, (_, n: string) => `$${names.indexOf(n) + 1}`);
    const { rows } = await client.query(
      text,
      names.map((n) => values[n]),
    );
    const n = Number(rows[0].n);
    if (n > 0) problems.push(`${n} ${label}`);
  };
  await q(
    `SELECT count(*) AS n FROM (SELECT a."pairId" FROM "Assignment" a JOIN "Pair" p ON p."id" = a."pairId"
      WHERE p."studyId" = $1 AND a."status" IN ('ACTIVE', 'SUBMITTED') GROUP BY a."pairId" HAVING count(*) > $2) x`,
    "pairs with more than k assignments",
  );
  await q(
    `SELECT count(*) AS n FROM (SELECT "pairId" FROM "Rating" WHERE "studyId" = $1 GROUP BY "pairId" HAVING count(*) > $2) x`,
    "pairs with more than k ratings",
  );
  await q(
    `SELECT count(*) AS n FROM (SELECT "pairId", "annotatorId" FROM "Rating" WHERE "studyId" = $1
      GROUP BY "pairId", "annotatorId" HAVING count(*) > 1) x`,
    "duplicated ratings (one pair, one person)",
  );
  await q(
    `SELECT count(*) AS n FROM "Pair" p WHERE p."studyId" = $1 AND p."takenCount" <>
      (SELECT count(*) FROM "Assignment" a WHERE a."pairId" = p."id" AND a."status" IN ('ACTIVE', 'SUBMITTED'))`,
    "pairs whose takenCount disagrees with their assignments",
  );
  await q(
    `SELECT count(*) AS n FROM (SELECT a."annotatorId" FROM "Assignment" a JOIN "Pair" p ON p."id" = a."pairId"
      WHERE p."studyId" = $1 AND a."status" IN ('ACTIVE', 'SUBMITTED') GROUP BY a."annotatorId" HAVING count(*) > $3) x`,
    "annotators over the cap",
  );
  await q(
    `SELECT count(*) AS n FROM (SELECT a."annotatorId" FROM "Assignment" a JOIN "Pair" p ON p."id" = a."pairId"
      WHERE p."studyId" = $1 AND a."status" = 'ACTIVE' GROUP BY a."annotatorId" HAVING count(*) > 1) x`,
    "annotators holding more than one open item",
  );
  await q(
    `SELECT count(*) AS n FROM (SELECT a."annotatorId", p."itemId" FROM "Assignment" a JOIN "Pair" p ON p."id" = a."pairId"
      WHERE p."studyId" = $1 GROUP BY a."annotatorId", p."itemId" HAVING count(*) > 1) x`,
    "annotators given two pairs of one item",
  );
  return problems;
}

import { CriteriaSchema } from "@/lib/annotation";
import { prisma, type DbOrTx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { JudgeCriterion } from "./prompt";

/** The criteria of the study's latest instructions: what the judge is asked and what agreement compares. */
export async function latestCriteria(studyId: string, db: DbOrTx = prisma): Promise<JudgeCriterion[]> {
  const version = await db.instructionsVersion.findFirst({
    where: { studyId },
    orderBy: { version: "desc" },
    select: { criteria: true },
  });
  const criteria = version ? CriteriaSchema.parse(version.criteria) : [];
  return criteria.map((c) => ({ key: c.key, label: c.label, description: c.description ?? "" }));
}

export function findJudgeEndpoint(systemId: string, db: DbOrTx = prisma) {
  return db.system.findUnique({
    where: { id: systemId },
    select: { baseUrl: true, modelName: true, apiKeyEnv: true, maxConcurrency: true },
  });
}

export interface JudgeTodo {
  pairId: string;
  teacherOnLeft: boolean;
  source: string;
  teacher: string;
  student: string;
}

/** (pair, order) combinations of regular pairs that have no judge rating yet; `skip` holds "pairId:order" keys. */
export function remainingJudgements(
  { studyId, systemId, skip, limit }: { studyId: string; systemId: string; skip: string[]; limit: number },
  db: DbOrTx = prisma,
) {
  return db.$queryRaw<JudgeTodo[]>`
    SELECT p.id AS "pairId", o.tol AS "teacherOnLeft", i.source, t.text AS teacher, s.text AS student
    FROM "Pair" p
    JOIN "EvalItem" i ON i.id = p."itemId"
    JOIN "Output" t ON t.id = p."teacherOutputId"
    JOIN "Output" s ON s.id = p."studentOutputId"
    CROSS JOIN (VALUES (true), (false)) AS o(tol)
    WHERE p."studyId" = ${studyId}::uuid AND p.kind = 'REGULAR'
      AND NOT EXISTS (SELECT 1 FROM "JudgeRating" j WHERE j."pairId" = p.id AND j."judgeSystemId" = ${systemId}::uuid AND j."teacherOnLeft" = o.tol)
      AND NOT ((p.id::text || ':' || o.tol::text) = ANY(${skip}::text[]))
    ORDER BY p."shuffleKey", o.tol DESC
    LIMIT ${limit}`;
}

/**
 * skipDuplicates: the unique key (pair, judge, order) means a job resumed after a crash, or two
 * workers racing on an expired lease, never store a judgement twice.
 */
export function storeJudgeRating(data: Prisma.JudgeRatingCreateManyInput, db: DbOrTx = prisma) {
  return db.judgeRating.createMany({ data: [data], skipDuplicates: true });
}

export function countJudgements(studyId: string, systemId: string, db: DbOrTx = prisma) {
  return db.judgeRating.count({ where: { studyId, judgeSystemId: systemId } });
}

/** Real annotators' ratings of the study's regular pairs (simulated ones are not humans). */
export function humanRatings(studyId: string, db: DbOrTx = prisma) {
  return db.rating.findMany({
    where: { studyId, isSimulated: false, pair: { kind: "REGULAR" } },
    select: { pairId: true, teacherOnLeft: true, scores: true, preference: true },
  });
}

export function judgeRatings(studyId: string, db: DbOrTx = prisma) {
  return db.judgeRating.findMany({
    where: { studyId },
    select: { judgeSystemId: true, pairId: true, teacherOnLeft: true, scores: true, preference: true },
  });
}

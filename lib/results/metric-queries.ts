import { prisma, type DbOrTx } from "@/lib/db";
import type { StudyOutputRow } from "./queries";

/**
 * The outputs people rate in a study: those shown in its regular pairs (rank 0 of each student's
 * settings, and the teacher output paired with it). Gold and attention pairs measure annotators,
 * not systems, and are left out, as in the statistics.
 */
export function loadRatedOutputs(studyId: string, db: DbOrTx = prisma): Promise<StudyOutputRow[]> {
  return db.$queryRaw<StudyOutputRow[]>`
    WITH shown AS (
      SELECT p."teacherOutputId" AS id FROM "Pair" p WHERE p."studyId" = ${studyId}::uuid AND p."kind" = 'REGULAR'
      UNION
      SELECT p."studentOutputId" FROM "Pair" p WHERE p."studyId" = ${studyId}::uuid AND p."kind" = 'REGULAR'
    )
    SELECT o."id"::text AS "id", o."systemId"::text AS "systemId", o."itemId"::text AS "itemId", o."rank", o."text", i."source"
    FROM shown JOIN "Output" o ON o."id" = shown.id JOIN "EvalItem" i ON i."id" = o."itemId"
    ORDER BY i."position", o."systemId", o."rank"`;
}

/**
 * Tokens and prices behind cost per paraphrase, per system over the study's outputs: prompt
 * tokens counted once per request (every output of one call carries the call's prompt tokens),
 * completion tokens summed (each output carries its share).
 */
export function loadCostInputs(
  args: { evalSetId: string; systems: { id: string; settingsKey: string | null }[] },
  db: DbOrTx = prisma,
): Promise<
  {
    systemId: string;
    outputs: number;
    withUsage: number;
    prompt: number | null;
    completion: number | null;
    inputPrice: number | null;
    outputPrice: number | null;
  }[]
> {
  const withKey = args.systems.filter((s) => s.settingsKey);
  if (!withKey.length) return Promise.resolve([]);
  return db.$queryRaw`
    WITH per AS (
      SELECT o."systemId", count(*)::int AS outputs, count(o."promptTokens")::int AS "withUsage",
             max(o."promptTokens") AS prompt, sum(o."completionTokens") AS completion
      FROM "Output" o
      JOIN "EvalItem" i ON i."id" = o."itemId"
      JOIN unnest(${withKey.map((s) => s.id)}::uuid[], ${withKey.map((s) => s.settingsKey!)}::text[]) AS s(sid, skey)
        ON s.sid = o."systemId" AND s.skey = o."settingsKey"
      WHERE i."evalSetId" = ${args.evalSetId}::uuid
      GROUP BY o."systemId", o."itemId")
    SELECT per."systemId"::text AS "systemId", sum(per.outputs)::int AS outputs, sum(per."withUsage")::int AS "withUsage",
           sum(per.prompt)::float8 AS prompt, sum(per.completion)::float8 AS completion,
           y."inputPricePerMTokens" AS "inputPrice", y."outputPricePerMTokens" AS "outputPrice"
    FROM per JOIN "System" y ON y."id" = per."systemId"
    GROUP BY per."systemId", y."inputPricePerMTokens", y."outputPricePerMTokens"`;
}

/** Cost of 1,000 paraphrases from recorded tokens and the system's prices, or why there is none. */
export function costPer1000(c: {
  outputs: number;
  withUsage: number;
  prompt: number | null;
  completion: number | null;
  inputPrice: number | null;
  outputPrice: number | null;
}): { value: number } | { reason: string } {
  if (c.inputPrice === null && c.outputPrice === null) return { reason: "no price per token is set for this system" };
  if (c.withUsage === 0 || c.prompt === null) return { reason: "no token counts were recorded for its outputs" };
  const spent = ((c.prompt ?? 0) * (c.inputPrice ?? 0) + (c.completion ?? 0) * (c.outputPrice ?? 0)) / 1e6;
  return { value: (spent / c.withUsage) * 1000 };
}

import { prisma, type DbOrTx } from "@/lib/db";

export function findEvalSetForExport(evalSetId: string, db: DbOrTx = prisma) {
  return db.evalSet.findUnique({
    where: { id: evalSetId },
    select: { id: true, name: true, _count: { select: { items: true } } },
  });
}

export function findSystemForExport(systemId: string, db: DbOrTx = prisma) {
  return db.system.findUnique({ where: { id: systemId }, select: { id: true, name: true, role: true } });
}

export interface OutputRow {
  externalId: string;
  position: number;
  rank: number;
  source: string;
  text: string;
  similarity: number | null;
}

/** One page of the set's outputs from one system and settings, in (item position, rank) order after `after`. */
export function outputsPage(
  {
    evalSetId,
    systemId,
    settingsKey,
    after,
    limit,
    model,
  }: {
    evalSetId: string;
    systemId: string;
    settingsKey: string;
    after: { position: number; rank: number };
    limit: number;
    /** Embedding model whose stored similarity comes with each row. */
    model: string;
  },
  db: DbOrTx = prisma,
) {
  return db.$queryRaw<OutputRow[]>`
    SELECT i."externalId", i.position, o.rank, i.source, o.text, s."similarity"
    FROM "Output" o JOIN "EvalItem" i ON i.id = o."itemId"
    LEFT JOIN "OutputSimilarity" s ON s."outputId" = o."id" AND s."model" = ${model}
    WHERE i."evalSetId" = ${evalSetId}::uuid AND o."systemId" = ${systemId}::uuid AND o."settingsKey" = ${settingsKey}
      AND (i.position, o.rank) > (${after.position}, ${after.rank})
    ORDER BY i.position, o.rank LIMIT ${limit}`;
}

/**
 * The settings stored with one of the set's outputs. Scoped to the set: the "imported" key is
 * shared by every import, each with its own file name.
 */
export async function outputSettings(
  { evalSetId, systemId, settingsKey }: { evalSetId: string; systemId: string; settingsKey: string },
  db: DbOrTx = prisma,
) {
  const row = await db.output.findFirst({
    where: { systemId, settingsKey, item: { evalSetId } },
    select: { settings: true },
  });
  return row?.settings ?? null;
}

type Scope = { evalSetId: string; systemId: string; settingsKey: string };

/** Outputs in scope without a stored similarity under the model. */
export async function countUnscoredOutputs(
  { evalSetId, systemId, settingsKey, model }: Scope & { model: string },
  db: DbOrTx = prisma,
) {
  const rows = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM "Output" o JOIN "EvalItem" i ON i.id = o."itemId"
    WHERE i."evalSetId" = ${evalSetId}::uuid AND o."systemId" = ${systemId}::uuid AND o."settingsKey" = ${settingsKey}
      AND NOT EXISTS (SELECT 1 FROM "OutputSimilarity" s WHERE s."outputId" = o.id AND s."model" = ${model})`;
  return rows[0]?.n ?? 0;
}

/** Tokens the teacher reported for the outputs in scope (an n-paraphrase call's usage is stored on each of its outputs' share). */
export async function teacherTokens({ evalSetId, systemId, settingsKey }: Scope, db: DbOrTx = prisma) {
  const rows = await db.$queryRaw<{ prompt: number | null; completion: number | null; n: number }[]>`
    SELECT sum(per.prompt)::float8 AS prompt, sum(per.completion)::float8 AS completion, sum(per.n)::int AS n
    FROM (
      -- Every output of one request carries that request's prompt tokens: count them once per item.
      SELECT max(o."promptTokens") AS prompt, sum(o."completionTokens") AS completion, count(o."promptTokens") AS n
      FROM "Output" o JOIN "EvalItem" i ON i.id = o."itemId"
      WHERE i."evalSetId" = ${evalSetId}::uuid AND o."systemId" = ${systemId}::uuid AND o."settingsKey" = ${settingsKey}
      GROUP BY o."itemId"
    ) per`;
  const r = rows[0];
  return { prompt: r?.prompt ?? null, completion: r?.completion ?? null, outputsWithUsage: r?.n ?? 0 };
}

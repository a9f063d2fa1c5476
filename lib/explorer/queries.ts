import { prisma, type DbOrTx } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { ExplorerFilter, ExplorerSort } from "./schemas";

const norm = (col: Prisma.Sql) => Prisma.sql`lower(btrim(${col}))`;

/** The SQL condition an item must meet for a filter; every one is an EXISTS over its outputs. */
function filterSql(filter: ExplorerFilter, model: string, below: number, evalSetId: string): Prisma.Sql {
  switch (filter) {
    case "copies":
      return Prisma.sql`EXISTS (SELECT 1 FROM "Output" o WHERE o."itemId" = i."id" AND ${norm(Prisma.sql`o."text"`)} = ${norm(Prisma.sql`i."source"`)})`;
    case "empty":
      return Prisma.sql`EXISTS (SELECT 1 FROM "Output" o WHERE o."itemId" = i."id" AND btrim(o."text") = '')`;
    case "duplicates":
      // One hash aggregate over the set's outputs instead of a self-join per item.
      return Prisma.sql`i."id" IN (
        SELECT o."itemId" FROM "Output" o JOIN "EvalItem" x ON x."id" = o."itemId"
        WHERE x."evalSetId" = ${evalSetId}::uuid
        GROUP BY o."itemId", o."systemId", o."settingsKey", ${norm(Prisma.sql`o."text"`)} HAVING count(*) > 1)`;
    case "low-similarity":
      return Prisma.sql`EXISTS (
        SELECT 1 FROM "Output" o JOIN "OutputSimilarity" s ON s."outputId" = o."id" AND s."model" = ${model}
        WHERE o."itemId" = i."id" AND s."similarity" < ${below})`;
    default:
      return Prisma.sql`TRUE`;
  }
}

/** One page of item ids (and the total) under a filter and sort; paging by position uses the (evalSetId, position) index. */
export async function pageItems(
  args: {
    evalSetId: string;
    filter: ExplorerFilter;
    sort: ExplorerSort;
    model: string;
    below: number;
    offset: number;
    limit: number;
  },
  db: DbOrTx = prisma,
): Promise<{ ids: string[]; total: number }> {
  const where = Prisma.sql`i."evalSetId" = ${args.evalSetId}::uuid AND ${filterSql(args.filter, args.model, args.below, args.evalSetId)}`;
  // Sorting by similarity: each item's lowest, from one aggregate over the set (not a subquery per item).
  const page =
    args.sort === "similarity"
      ? Prisma.sql`
        WITH m AS (
          SELECT o."itemId", min(s."similarity") AS low
          FROM "Output" o JOIN "EvalItem" x ON x."id" = o."itemId"
          JOIN "OutputSimilarity" s ON s."outputId" = o."id" AND s."model" = ${args.model}
          WHERE x."evalSetId" = ${args.evalSetId}::uuid GROUP BY o."itemId")
        SELECT i."id"::text AS id FROM "EvalItem" i LEFT JOIN m ON m."itemId" = i."id"
        WHERE ${where} ORDER BY m.low ASC NULLS LAST, i."position" LIMIT ${args.limit} OFFSET ${args.offset}`
      : Prisma.sql`SELECT i."id"::text AS id FROM "EvalItem" i WHERE ${where} ORDER BY i."position" LIMIT ${args.limit} OFFSET ${args.offset}`;
  const [rows, count] = await Promise.all([
    db.$queryRaw<{ id: string }[]>(page),
    db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "EvalItem" i WHERE ${where}`,
  ]);
  return { ids: rows.map((r) => r.id), total: count[0]?.n ?? 0 };
}

export interface ExplorerOutputRow {
  id: string;
  itemId: string;
  systemId: string;
  systemName: string;
  role: string;
  settingsKey: string;
  settings: unknown;
  rank: number;
  text: string;
  similarity: number | null;
}

export function loadItems(ids: string[], db: DbOrTx = prisma) {
  return db.evalItem.findMany({
    where: { id: { in: ids } },
    select: { id: true, externalId: true, position: true, source: true },
  });
}

export function loadOutputs(args: { itemIds: string[]; model: string }, db: DbOrTx = prisma) {
  if (!args.itemIds.length) return Promise.resolve([] as ExplorerOutputRow[]);
  return db.$queryRaw<ExplorerOutputRow[]>`
    SELECT o."id"::text AS id, o."itemId"::text AS "itemId", o."systemId"::text AS "systemId", y."name" AS "systemName",
           y."role"::text AS role, o."settingsKey", o."settings", o."rank", o."text", s."similarity"
    FROM "Output" o
    JOIN "System" y ON y."id" = o."systemId"
    LEFT JOIN "OutputSimilarity" s ON s."outputId" = o."id" AND s."model" = ${args.model}
    WHERE o."itemId" = ANY(${args.itemIds}::uuid[])
    ORDER BY (y."role" = 'TEACHER') DESC, y."name", o."settingsKey", o."rank"`;
}

/** Outputs of the set with no similarity under the model yet (the embedding job is queued for them). */
export async function countUnscored(args: { evalSetId: string; model: string }, db: DbOrTx = prisma) {
  const rows = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM "Output" o JOIN "EvalItem" i ON i."id" = o."itemId"
    WHERE i."evalSetId" = ${args.evalSetId}::uuid
      AND NOT EXISTS (SELECT 1 FROM "OutputSimilarity" s WHERE s."outputId" = o."id" AND s."model" = ${args.model})`;
  return rows[0]?.n ?? 0;
}

import { prisma, type DbOrTx } from "@/lib/db";
import { loadStoredEmbeddings } from "./store";
import { cosineSimilarity } from "./vector";

const CHUNK = 5000;

/**
 * Writes cosine(source, output) for every output of an eval set that has none yet under this
 * model, from the stored vectors, so pages can sort and filter on it in SQL. Outputs whose texts
 * are not embedded yet are left for the next run.
 */
export async function storeOutputSimilarities(
  args: { evalSetId: string; model: string },
  db: DbOrTx = prisma,
): Promise<number> {
  let written = 0;
  for (;;) {
    const rows = await db.$queryRaw<{ id: string; text: string; source: string }[]>`
      SELECT o."id"::text AS id, o."text", i."source"
      FROM "Output" o JOIN "EvalItem" i ON i."id" = o."itemId"
      WHERE i."evalSetId" = ${args.evalSetId}::uuid
        AND NOT EXISTS (SELECT 1 FROM "OutputSimilarity" s WHERE s."outputId" = o."id" AND s."model" = ${args.model})
      ORDER BY o."id"
      LIMIT ${CHUNK}`;
    if (rows.length === 0) return written;
    const vectors = await loadStoredEmbeddings(
      { texts: rows.flatMap((r) => [r.text, r.source]), model: args.model },
      db,
    );
    const data = rows
      .filter((r) => vectors.has(r.text) && vectors.has(r.source))
      .map((r) => ({
        outputId: r.id,
        model: args.model,
        similarity: cosineSimilarity(vectors.get(r.source)!, vectors.get(r.text)!),
      }));
    if (data.length) await db.outputSimilarity.createMany({ data, skipDuplicates: true });
    written += data.length;
    if (data.length < rows.length) return written; // the rest waits for its vectors
  }
}

import { prisma, type DbOrTx } from "@/lib/db";
import { cosineSimilarity, embeddingProvider, loadStoredEmbeddings, requestEmbeddings } from "@/lib/embeddings";
import type { Maybe } from "./schemas";

/**
 * Cosine similarity of each output to its source from stored embeddings. Vectors are never
 * computed here (a page must not wait on a model): when some are missing, one embedding job is
 * queued for the eval set and the reason says how many texts remain.
 */
export async function semanticSimilarities(
  args: {
    evalSetId: string;
    rows: readonly { id: string; text: string; source: string }[];
    requestedBy?: string | null;
  },
  db: DbOrTx = prisma,
): Promise<Maybe<{ values: Map<string, number>; model: string }>> {
  let provider;
  try {
    provider = embeddingProvider();
  } catch (err) {
    return { ok: false, reason: `unavailable: ${err instanceof Error ? err.message : String(err)}` };
  }
  const texts = new Set(args.rows.flatMap((r) => [r.source, r.text]));
  const stored = await loadStoredEmbeddings({ texts, model: provider.model }, db);
  const missing = texts.size - stored.size;
  if (missing > 0) {
    const { lastFailure } = await requestEmbeddings(
      { evalSetId: args.evalSetId, model: provider.model, missing, createdById: args.requestedBy },
      db,
    );
    const failure = lastFailure ? ` The last embedding job failed: ${lastFailure}.` : "";
    return {
      ok: false,
      reason: `computing: ${missing} of ${texts.size} texts still to embed with ${provider.label} (a background job is queued; reload when it is done).${failure}`,
    };
  }
  const values = new Map<string, number>();
  for (const r of args.rows) values.set(r.id, cosineSimilarity(stored.get(r.source)!, stored.get(r.text)!));
  return { ok: true, values, model: provider.label };
}

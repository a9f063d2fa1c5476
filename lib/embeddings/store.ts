/**
 * Stored embeddings: one row per (model, sha256 of the text), so a text is embedded once per model
 * however many sets, outputs or studies contain it.
 */
import { prisma, type DbOrTx } from "@/lib/db";
import type { EmbeddingProvider } from "./provider";
import { bytesToVector, textHash, vectorToBytes } from "./vector";

const READ_CHUNK = 5000;

/** The stored vectors of those texts under a model; texts never embedded are absent from the map. */
export async function loadStoredEmbeddings(
  args: { texts: Iterable<string>; model: string },
  db: DbOrTx = prisma,
): Promise<Map<string, Float32Array>> {
  const byHash = new Map<string, string[]>();
  for (const text of new Set(args.texts)) {
    const h = textHash(text);
    byHash.set(h, [...(byHash.get(h) ?? []), text]);
  }
  const hashes = [...byHash.keys()];
  const out = new Map<string, Float32Array>();
  for (let i = 0; i < hashes.length; i += READ_CHUNK) {
    const rows = await db.textEmbedding.findMany({
      where: { model: args.model, textHash: { in: hashes.slice(i, i + READ_CHUNK) } },
      select: { textHash: true, vector: true },
    });
    for (const row of rows) for (const text of byHash.get(row.textHash)!) out.set(text, bytesToVector(row.vector));
  }
  return out;
}

/**
 * Embeds the texts that have no stored vector yet, in the provider's batches, storing each batch
 * as it is done (a crash loses at most one batch). Returns how many texts were embedded now.
 */
export async function embedMissing(
  args: {
    texts: Iterable<string>;
    provider: EmbeddingProvider;
    signal?: AbortSignal;
    /** Called after each stored batch; return true to stop early (a cancelled job). */
    onBatch?: (progress: { done: number; total: number }) => Promise<boolean | void>;
  },
  db: DbOrTx = prisma,
): Promise<{ embedded: number; alreadyStored: number }> {
  const unique = [...new Set(args.texts)];
  const stored = await loadStoredEmbeddings({ texts: unique, model: args.provider.model }, db);
  const missing = unique.filter((t) => !stored.has(t));
  let done = 0;
  for (let i = 0; i < missing.length; i += args.provider.batchSize) {
    const batch = missing.slice(i, i + args.provider.batchSize);
    const vectors = await args.provider.embed(batch, args.signal);
    await db.textEmbedding.createMany({
      data: batch.map((text, j) => ({
        model: args.provider.model,
        textHash: textHash(text),
        dimensions: vectors[j].length,
        vector: vectorToBytes(vectors[j]),
      })),
      skipDuplicates: true, // another worker may have stored the same text meanwhile
    });
    done += batch.length;
    if (await args.onBatch?.({ done, total: missing.length })) break;
  }
  return { embedded: done, alreadyStored: stored.size };
}

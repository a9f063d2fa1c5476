/**
 * Embeddings are computed by the job worker, never on a request: a page that finds vectors
 * missing queues one job per eval set and model (a second request while it waits reuses it) and
 * says how many texts are still to embed.
 */
import { z } from "zod";
import { prisma, type DbOrTx } from "@/lib/db";
import { insertJob, JOB_TYPES, type JobHandler } from "@/lib/jobs";
import { embeddingProvider } from "./select-provider";
import { storeOutputSimilarities } from "./output-similarity";
import { embedMissing } from "./store";

export const EMBED_JOB = JOB_TYPES.EMBED.type;
export const EmbedPayload = z.object({ evalSetId: z.uuid(), model: z.string().min(1) });

/** Queues embedding of an eval set's sources and outputs unless a job for it is already waiting or running. */
export async function requestEmbeddings(
  args: { evalSetId: string; model: string; missing: number; createdById?: string | null },
  db: DbOrTx = prisma,
): Promise<{ jobId: string; lastFailure: string | null }> {
  const failed = await db.job.findFirst({
    where: { type: EMBED_JOB, status: "FAILED", payload: { equals: { evalSetId: args.evalSetId, model: args.model } } },
    orderBy: { createdAt: "desc" },
    select: { lastError: true },
  });
  const lastFailure = failed ? (failed.lastError ?? "no reason recorded") : null;
  const pending = await db.job.findFirst({
    where: {
      type: EMBED_JOB,
      status: { in: ["QUEUED", "RUNNING"] },
      payload: { equals: { evalSetId: args.evalSetId, model: args.model } },
    },
    select: { id: true },
  });
  if (pending) return { jobId: pending.id, lastFailure };
  const job = await insertJob(
    {
      type: EMBED_JOB,
      payload: { evalSetId: args.evalSetId, model: args.model },
      progressTotal: args.missing,
      createdById: args.createdById ?? null,
    },
    db,
  );
  return { jobId: job.id, lastFailure };
}

/** Every text of an eval set that a metric compares: the sources and all outputs. */
export async function evalSetTexts(evalSetId: string, db: DbOrTx = prisma): Promise<string[]> {
  const rows = await db.$queryRaw<{ text: string }[]>`
    SELECT i."source" AS text FROM "EvalItem" i WHERE i."evalSetId" = ${evalSetId}::uuid
    UNION
    SELECT o."text" FROM "Output" o JOIN "EvalItem" i ON i."id" = o."itemId" WHERE i."evalSetId" = ${evalSetId}::uuid`;
  return rows.map((r) => r.text);
}

export const runEmbeddingJob: JobHandler = async (ctx) => {
  const payload = EmbedPayload.parse(ctx.job.payload);
  const provider = embeddingProvider();
  if (provider.model !== payload.model)
    return {
      status: "FAILED",
      lastError: `This job asks for model ${payload.model} but this worker is configured for ${provider.model}; run it on a worker with the same EMBEDDINGS_* settings`,
    };
  let cancelled = false;
  try {
    await embedMissing({
      texts: await evalSetTexts(payload.evalSetId),
      provider,
      onBatch: async ({ done }) => {
        const c = await ctx.checkpoint({ done, errorCount: 0 });
        cancelled = c.cancelled;
        return c.stop;
      },
    });
    if (!cancelled) await storeOutputSimilarities({ evalSetId: payload.evalSetId, model: provider.model });
  } catch (err) {
    return { status: "FAILED", lastError: err instanceof Error ? err.message : String(err) };
  }
  return { status: cancelled ? "CANCELLED" : "SUCCEEDED" };
};

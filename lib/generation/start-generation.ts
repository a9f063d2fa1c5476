import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { prisma, type DbOrTx } from "@/lib/db";
import { insertJob } from "@/lib/jobs";
import { findSystem } from "@/lib/systems";
import { CHUNK_ITEMS, GENERATE_JOB, normaliseSettings, StartGenerationInput, type GenerationChunk } from "./schemas";

/**
 * Queues "generate outputs for this eval set with this system and these settings". Items that
 * already have outputs under the same settings are reused, not generated again; when all have
 * them the job is created already finished. The rest is split into chunks of items that any number
 * of workers run at once (`npm run worker` on as many machines as you like).
 */
export async function startGeneration(actor: Actor | null, raw: StartGenerationInput, db: DbOrTx = prisma) {
  requirePermission(actor, "generation:run");
  const input = StartGenerationInput.parse(raw);
  const system = await findSystem(input.systemId, db);
  if (!system) throw new NotFoundError("No such system");
  if (system.kind === "EXTERNAL")
    throw new ValidationError(`"${system.name}" holds outputs imported from a file; it cannot generate more`);
  if (system.role === "JUDGE")
    throw new ValidationError(
      `"${system.name}" is the LLM judge: it rates outputs (on a study's judge page) and does not generate paraphrases`,
    );
  const set = await db.evalSet.findUnique({
    where: { id: input.evalSetId },
    select: { id: true, _count: { select: { items: true } } },
  });
  if (!set) throw new NotFoundError("No such eval set");
  const { settings, settingsKey } = normaliseSettings(system.kind, input.settings, system.defaultSettings);
  const todo = await db.evalItem.findMany({
    where: { evalSetId: set.id, outputs: { none: { systemId: system.id, settingsKey } } },
    orderBy: { position: "asc" },
    select: { id: true },
  });
  const already = set._count.items - todo.length;
  const size = system.kind === "ONNX_MODEL" ? CHUNK_ITEMS.student : CHUNK_ITEMS.teacher;
  const chunks: GenerationChunk[] = [];
  for (let i = 0; i < todo.length; i += size) chunks.push({ itemIds: todo.slice(i, i + size).map((t) => t.id) });
  const job = await insertJob(
    {
      type: GENERATE_JOB,
      payload: { evalSetId: set.id, systemId: system.id, settings, settingsKey },
      progressTotal: set._count.items,
      progressDone: already,
      createdById: actor.id,
      chunks,
    },
    db,
  );
  return { jobId: job.id, settingsKey, reused: already, total: set._count.items };
}

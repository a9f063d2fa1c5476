import { prisma } from "@/lib/db";
import { GenerationOptionsSchema, paraphrase } from "@/lib/inference";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { JobContext, JobOutcome } from "@/lib/jobs";
import { findSystem, type SystemRow } from "@/lib/systems";
import { GenerationPayload, TeacherSettings } from "./schemas";
import { chatConfigFor, createLimiter, DEFAULT_PARAPHRASE_PROMPT_TEMPLATE, paraphraseWithTeacher } from "@/lib/llm";

const STUDENT_BATCH = 16;
const TEACHER_BATCH = 32;

interface Pending {
  id: string;
  source: string;
}

/** Items of the set that have no output yet for this system and settings: what is left to do. */
async function nextItems(p: GenerationPayload, skip: string[], limit: number): Promise<Pending[]> {
  return prisma.$queryRaw<Pending[]>`
    SELECT i.id, i.source FROM "EvalItem" i
    WHERE i."evalSetId" = ${p.evalSetId}::uuid
      AND NOT EXISTS (SELECT 1 FROM "Output" o WHERE o."itemId" = i.id AND o."systemId" = ${p.systemId}::uuid AND o."settingsKey" = ${p.settingsKey})
      AND NOT (i.id = ANY(${skip}::uuid[]))
    ORDER BY i.position LIMIT ${limit}`;
}

async function countDone(p: GenerationPayload) {
  return prisma.evalItem.count({
    where: { evalSetId: p.evalSetId, outputs: { some: { systemId: p.systemId, settingsKey: p.settingsKey } } },
  });
}

type OutputRow = {
  itemId: string;
  text: string;
  latencyMs: number;
  promptTokens: number | null;
  completionTokens: number | null;
  rawReply?: string;
};

/**
 * Outputs of one item are written together with skipDuplicates: the unique key (item, system,
 * settings, rank) means a job resumed after a crash, or two workers racing on an expired
 * lease, can never store an output twice.
 */
async function store(p: GenerationPayload, jobId: string, rows: OutputRow[][]) {
  const data = rows.flatMap((outs) =>
    outs.map((o, rank) => ({
      ...o,
      systemId: p.systemId,
      settingsKey: p.settingsKey,
      settings: p.settings as Prisma.InputJsonObject,
      rank,
      jobId,
    })),
  );
  if (data.length) await prisma.output.createMany({ data, skipDuplicates: true });
}

async function studentBatch(system: SystemRow, p: GenerationPayload, items: Pending[]): Promise<OutputRow[][]> {
  const result = await paraphrase({
    modelName: system.modelDir!,
    inputs: items.map((i) => i.source),
    options: GenerationOptionsSchema.parse(p.settings),
  });
  const perOutput = result.latencyMs / Math.max(1, result.outputs.flat().length);
  return result.outputs.map((texts, i) =>
    texts.map((text, r) => ({
      itemId: items[i].id,
      text,
      latencyMs: perOutput,
      promptTokens: result.tokenCounts.input[i],
      completionTokens: result.tokenCounts.generated[i][r],
    })),
  );
}

function teacherConfig(system: SystemRow, payloadSettings: GenerationPayload["settings"]) {
  // The payload holds settings startGeneration normalised; read back through the same schema, not casts.
  const settings = TeacherSettings.parse(payloadSettings);
  return {
    ...chatConfigFor(system),
    promptTemplate: settings.promptTemplate ?? system.promptTemplate ?? DEFAULT_PARAPHRASE_PROMPT_TEMPLATE,
    n: settings.n,
    temperature: settings.temperature,
  };
}

/** Runs (or resumes) a generation job: only items without outputs are generated. */
export async function runGenerationJob(ctx: JobContext): Promise<JobOutcome> {
  const p = GenerationPayload.parse(ctx.job.payload);
  const system = await findSystem(p.systemId);
  if (!system) return { status: "FAILED", lastError: "The system was deleted" };
  const failed: string[] = [];
  let lastError: string | null = null;
  const limiter = createLimiter(system.maxConcurrency);
  const config = system.kind === "ONNX_MODEL" ? null : teacherConfig(system, p.settings);
  for (;;) {
    const items = await nextItems(p, failed, system.kind === "ONNX_MODEL" ? STUDENT_BATCH : TEACHER_BATCH);
    if (items.length === 0) break;
    if (!config) {
      await store(p, ctx.job.id, await studentBatch(system, p, items));
    } else {
      await Promise.all(
        items.map((item) =>
          limiter.run(async () => {
            try {
              const r = await paraphraseWithTeacher({ config, sentence: item.source });
              const share = r.paraphrases.length || 1;
              await store(p, ctx.job.id, [
                r.paraphrases.map((text) => ({
                  itemId: item.id,
                  text,
                  latencyMs: r.latencyMs / share,
                  rawReply: r.rawReply,
                  promptTokens: r.promptTokens,
                  completionTokens: r.completionTokens === null ? null : Math.round(r.completionTokens / share),
                })),
              ]);
              if (r.paraphrases.length === 0) {
                failed.push(item.id);
                lastError = `${item.source.slice(0, 60)}: the teacher's list held only copies of the sentence (or of each other)`;
              }
            } catch (err) {
              failed.push(item.id);
              lastError = `${item.source.slice(0, 60)}: ${err instanceof Error ? err.message : String(err)}`;
            }
          }),
        ),
      );
    }
    const { stop, cancelled } = await ctx.checkpoint({
      done: await countDone(p),
      errorCount: failed.length,
      lastError,
    });
    if (cancelled) return { status: "CANCELLED" };
    if (stop) return { status: "FAILED", lastError: "lease lost" };
  }
  const done = await countDone(p);
  await ctx.checkpoint({ done, errorCount: failed.length, lastError });
  return done === 0 && failed.length > 0 ? { status: "FAILED", lastError } : { status: "SUCCEEDED", lastError };
}

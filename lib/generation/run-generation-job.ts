import { prisma } from "@/lib/db";
import { GenerationOptionsSchema, paraphrase } from "@/lib/inference";
import type { Prisma } from "@/lib/generated/prisma/client";
import { FailureLog, runItemWithRetries, type ItemFailure, type JobContext, type JobOutcome } from "@/lib/jobs";
import { findSystem, type SystemRow } from "@/lib/systems";
import { GenerationPayload, TeacherSettings } from "./schemas";
import {
  chatConfigFor,
  createLimiter,
  DEFAULT_PARAPHRASE_PROMPT_TEMPLATE,
  paraphraseWithTeacher,
  TeacherError,
} from "@/lib/llm";

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
  cpuMs?: number;
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
  const count = Math.max(1, result.outputs.flat().length);
  const perOutput = result.latencyMs / count;
  return result.outputs.map((texts, i) =>
    texts.map((text, r) => ({
      itemId: items[i].id,
      text,
      latencyMs: perOutput,
      cpuMs: result.cpuMs / count,
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

/** A reply whose list held nothing but the sentence itself: malformed for this purpose. */
class OnlyCopiesError extends Error {}

/**
 * Sorts a failed teacher call into the job's failure kinds. Calls that another try cannot fix
 * (a wrong key, URL or model: 401, 403, 404) are not retried; the reason is the client's message,
 * which is built redacted and carries no body beyond the server's short error line.
 */
function classifyTeacherFailure(err: unknown): ItemFailure {
  if (err instanceof OnlyCopiesError) return { kind: "malformed", reason: err.message, retry: true };
  if (err instanceof TeacherError) {
    if (err.kind === "http")
      return { kind: "refused", reason: err.message, retry: ![401, 403, 404].includes(err.status ?? 0) };
    if (err.kind === "no_list" || err.kind === "bad_response")
      return { kind: "malformed", reason: err.message, retry: true };
    return { kind: "other", reason: err.message, retry: err.kind !== "aborted" };
  }
  throw err; // not the item's fault (the database, a bug): the worker retries the job
}

/** Runs (or resumes) a generation job: only items without outputs are generated. */
export async function runGenerationJob(ctx: JobContext): Promise<JobOutcome> {
  const p = GenerationPayload.parse(ctx.job.payload);
  const system = await findSystem(p.systemId);
  if (!system) return { status: "FAILED", lastError: "The system was deleted" };
  const log = new FailureLog();
  const limiter = createLimiter(system.maxConcurrency);
  const config = system.kind === "ONNX_MODEL" ? null : teacherConfig(system, p.settings);
  for (;;) {
    const items = await nextItems(p, log.ids, system.kind === "ONNX_MODEL" ? STUDENT_BATCH : TEACHER_BATCH);
    if (items.length === 0) break;
    if (!config) {
      await store(p, ctx.job.id, await studentBatch(system, p, items));
    } else {
      await Promise.all(
        items.map((item) =>
          limiter.run(() =>
            runItemWithRetries({
              item: { id: item.id, label: item.source.slice(0, 60) },
              log,
              classify: (err) => {
                if (err instanceof TeacherError) log.upstreamRetries += err.attempts - 1;
                return classifyTeacherFailure(err);
              },
              run: async () => {
                const r = await paraphraseWithTeacher({ config, sentence: item.source });
                log.upstreamRetries += r.attempts - 1;
                if (r.paraphrases.length === 0)
                  throw new OnlyCopiesError("the teacher's list held only copies of the sentence (or of each other)");
                const share = r.paraphrases.length;
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
              },
            }),
          ),
        ),
      );
    }
    const { stop, cancelled } = await ctx.checkpoint(log.progress(await countDone(p)));
    if (cancelled) return { status: "CANCELLED" };
    if (stop) return { status: "FAILED", lastError: "lease lost" };
  }
  const done = await countDone(p);
  await ctx.checkpoint(log.progress(done));
  const lastError = log.lastReason;
  return done === 0 && log.size > 0 ? { status: "FAILED", lastError } : { status: "SUCCEEDED", lastError };
}

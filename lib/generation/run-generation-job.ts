import { prisma } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { GenerationOptionsSchema, paraphrase } from "@/lib/inference";
import {
  FailureLog,
  runItemWithRetries,
  StoppedError,
  type ChunkContext,
  type ChunkReport,
  type ItemFailure,
  type JobContext,
  type JobOutcome,
} from "@/lib/jobs";
import { findSystem, type SystemRow } from "@/lib/systems";
import { OutputBuffer } from "./output-buffer";
import { CHUNK_ITEMS, GenerationChunk, GenerationPayload, TEACHER_CALLS_PER_WORKER, TeacherSettings } from "./schemas";
import {
  chatConfigFor,
  createLimiter,
  DEFAULT_PARAPHRASE_PROMPT_TEMPLATE,
  paraphraseWithTeacher,
  TeacherError,
} from "@/lib/llm";

const STUDENT_BATCH = 16;
/** Items a whole (unchunked) job asks at once, and outputs one write holds. */
const TEACHER_BATCH = TEACHER_CALLS_PER_WORKER;

interface Pending {
  id: string;
  source: string;
}

/**
 * Items of the set that have no output yet for this system and settings: what is left to do of a
 * job queued whole (before jobs were split into chunks).
 */
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

/**
 * A chunk's items (of `itemIds`, minus `skip`) with no output yet, in set order. Read by primary
 * key from the chunk's own ids, never through the set: a set-wide filter let the planner, whose
 * statistics say a new system has no outputs (true when the job starts), scan the whole set and
 * all the system's outputs for every chunk, a cost growing with the job's size (36 ms a chunk at
 * 6,000 items; PostgreSQL's CPU per item was mostly this and chunkDone below).
 */
async function chunkPending(p: GenerationPayload, itemIds: string[], skip: string[], limit: number) {
  return prisma.$queryRaw<Pending[]>`
    SELECT i.id, i.source FROM unnest(${itemIds}::uuid[]) AS u(id) JOIN "EvalItem" i ON i.id = u.id
    LEFT JOIN LATERAL (${outputOf(p, Prisma.sql`u.id`)}) o ON true
    WHERE o.found IS NULL AND NOT (i.id = ANY(${skip}::uuid[]))
    ORDER BY i.position LIMIT ${limit}`;
}

/**
 * Whether `item` has an output of this system and settings, as a LATERAL subquery: evaluated
 * per item (LIMIT 1 keeps it from being turned into a join), so it is one index probe each. As
 * NOT EXISTS the planner, believing the system had almost no outputs, read all of them once per
 * item (a nested loop with the item as a join filter).
 */
function outputOf(p: GenerationPayload, item: Prisma.Sql) {
  return Prisma.sql`SELECT true AS found FROM "Output" x
    WHERE x."itemId" = ${item} AND x."systemId" = ${p.systemId}::uuid AND x."settingsKey" = ${p.settingsKey} LIMIT 1`;
}

/** How many of a chunk's items have their outputs (read as chunkPending reads them). */
async function chunkDone(p: GenerationPayload, itemIds: string[]) {
  const [r] = await prisma.$queryRaw<{ done: number }[]>`
    SELECT count(*)::int AS done FROM unnest(${itemIds}::uuid[]) AS u(id)
    CROSS JOIN LATERAL (${outputOf(p, Prisma.sql`u.id`)}) o`;
  return r.done;
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
 * Outputs of one item are written together, skipping duplicates: the unique key (item, system,
 * settings, rank) means a job resumed after a crash, or two workers racing on an expired
 * lease, can never store an output twice. ONE statement of a fixed shape over unnest'ed arrays,
 * however many rows: Prisma's createMany compiled a statement per call in the worker, about
 * 22 ms of CPU for a teacher batch of 64 outputs against about 1 ms for this.
 */
async function store(p: GenerationPayload, jobId: string, rows: OutputRow[][]) {
  const data = rows.flatMap((outs) => outs.map((o, rank) => ({ ...o, rank })));
  if (data.length === 0) return;
  const column = <T>(f: (o: (typeof data)[number]) => T) => data.map(f);
  await prisma.$executeRaw`
    INSERT INTO "Output" (id, "itemId", "systemId", "settingsKey", settings, rank, text, "latencyMs", "cpuMs",
      "promptTokens", "completionTokens", "rawReply", "jobId")
    SELECT gen_random_uuid(), u."itemId", ${p.systemId}::uuid, ${p.settingsKey}, ${JSON.stringify(p.settings)}::jsonb,
      u.rank, u.text, u."latencyMs", u."cpuMs", u."promptTokens", u."completionTokens", u."rawReply", ${jobId}::uuid
    FROM unnest(
      ${column((o) => o.itemId)}::uuid[], ${column((o) => o.rank)}::int[], ${column((o) => o.text)}::text[],
      ${column((o) => o.latencyMs)}::float8[], ${column((o) => o.cpuMs ?? null)}::float8[],
      ${column((o) => o.promptTokens)}::int[], ${column((o) => o.completionTokens)}::int[],
      ${column((o) => o.rawReply ?? null)}::text[]
    ) AS u("itemId", rank, text, "latencyMs", "cpuMs", "promptTokens", "completionTokens", "rawReply")
    ON CONFLICT DO NOTHING`;
}

/** A failure inside the student's generation (not the database's): the item's, unless the model is gone. */
class StudentError extends Error {
  constructor(readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

async function studentBatch(system: SystemRow, p: GenerationPayload, items: Pending[]): Promise<OutputRow[][]> {
  let result;
  try {
    result = await paraphrase({
      modelName: system.modelDir!,
      inputs: items.map((i) => i.source),
      options: GenerationOptionsSchema.parse(p.settings),
    });
  } catch (err) {
    throw new StudentError(err);
  }
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

/**
 * Sorts a failed student generation: an input the model refuses (too long for it, empty) is not
 * retried; anything else the runner threw (the inference worker exiting) is tried again.
 */
function classifyStudentFailure(err: unknown): ItemFailure {
  if (!(err instanceof StudentError) || err.cause instanceof NotFoundError) throw err; // the job's, not the item's
  if (err.cause instanceof ValidationError) return { kind: "refused", reason: err.message, retry: false };
  return { kind: "other", reason: err.message, retry: true };
}

/**
 * Generates a student batch in one run; when the batch fails, each of its items alone (with the
 * in-job retries), so one item the model cannot run fails alone and is listed with its reason.
 */
async function studentItems(system: SystemRow, p: GenerationPayload, jobId: string, items: Pending[], log: FailureLog) {
  try {
    await store(p, jobId, await studentBatch(system, p, items));
    return;
  } catch (err) {
    classifyStudentFailure(err); // rethrows what is not an item's failure
  }
  for (const item of items) {
    await runItemWithRetries({
      item: { id: item.id, label: item.source.slice(0, 60) },
      log,
      classify: classifyStudentFailure,
      run: async () => store(p, jobId, await studentBatch(system, p, [item])),
    });
  }
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

type TeacherConfig = ReturnType<typeof teacherConfig>;

/**
 * One teacher call for one item, tried again within the job when it fails; its outputs go to
 * `save` (stored at once by a whole job, buffered by a chunk).
 */
function teacherItem(
  config: TeacherConfig,
  log: FailureLog,
  item: Pending,
  save: (rows: OutputRow[][]) => Promise<void> | void,
) {
  return runItemWithRetries({
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
      await save([
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
  });
}

/**
 * Runs (or resumes) a generation job queued whole, before jobs were split into chunks: only items
 * without outputs are generated. Its concurrency limit is this worker's alone.
 */
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
      await studentItems(system, p, ctx.job.id, items, log);
    } else {
      const save = (rows: OutputRow[][]) => store(p, ctx.job.id, rows);
      await Promise.all(items.map((item) => limiter.run(() => teacherItem(config, log, item, save))));
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

/** Teacher outputs a chunk buffers before one write (see OutputBuffer for what a crash costs). */
const BUFFER = { maxItems: CHUNK_ITEMS.teacher, maxDelayMs: 200 };

/**
 * Runs (or resumes) one chunk of a generation job, beside any number of workers running its
 * other chunks: only the chunk's items without outputs are generated, and teacher calls stay
 * within the system's limit across all workers.
 */
export async function runGenerationChunk(ctx: ChunkContext): Promise<ChunkReport | "stopped"> {
  const p = GenerationPayload.parse(ctx.job.payload);
  const { itemIds } = GenerationChunk.parse(ctx.chunk.payload);
  const system = await findSystem(p.systemId);
  if (!system) throw new Error("The system was deleted");
  const log = new FailureLog();
  if (system.kind === "ONNX_MODEL") {
    for (;;) {
      const items = await chunkPending(p, itemIds, log.ids, STUDENT_BATCH);
      if (items.length === 0) break;
      await studentItems(system, p, ctx.job.id, items, log);
      if ((await ctx.checkpoint()).stop) return "stopped";
    }
    return log.chunkReport(await chunkDone(p, itemIds));
  }
  return teacherChunk(ctx, system, p, itemIds, log);
}

/**
 * A teacher chunk: every pending item is handed to the worker's share of the teacher's limit at
 * once, so its calls start as slots come free (the worker's previous chunk's calls finishing) and
 * the worker claims its next chunk meanwhile; outputs are written in batches.
 */
async function teacherChunk(
  ctx: ChunkContext,
  system: SystemRow,
  p: GenerationPayload,
  itemIds: string[],
  log: FailureLog,
): Promise<ChunkReport | "stopped"> {
  const config = teacherConfig(system, p.settings);
  const items = await chunkPending(p, itemIds, [], itemIds.length);
  const buffer = new OutputBuffer<OutputRow[]>((rows) => store(p, ctx.job.id, rows), BUFFER);
  const limit = { key: `system:${system.id}`, limit: system.maxConcurrency, perWorker: TEACHER_CALLS_PER_WORKER };
  const calls = items.map((item) => ctx.limited(limit, () => teacherItem(config, log, item, (r) => buffer.add(r))));
  ctx.draining();
  const results = await Promise.allSettled(calls);
  // Outputs of the calls that finished are kept even when the chunk stops (or one call threw).
  await buffer.close();
  for (const r of results) if (r.status === "rejected" && !(r.reason instanceof StoppedError)) throw r.reason;
  if (ctx.signal.aborted || (await ctx.checkpoint()).stop) return "stopped";
  return log.chunkReport(await chunkDone(p, itemIds));
}

import { createHash } from "node:crypto";
import { z } from "zod";
import { GenerationDefaultsSchema, resolveGenerationOptions } from "@/lib/inference";
import { JOB_TYPES } from "@/lib/jobs";
import { paraphraseCountSchema, teacherTemperatureSchema } from "@/lib/llm";

export const GENERATE_JOB = JOB_TYPES.GENERATE.type;

/** Settings of a teacher call; the prompt template defaults to the system's own. */
export const TeacherSettings = z.object({
  n: paraphraseCountSchema,
  temperature: teacherTemperatureSchema,
  promptTemplate: z.string().optional(),
});

export const StartGenerationInput = z.object({
  evalSetId: z.uuid(),
  systemId: z.uuid(),
  /** Teacher: TeacherSettings. Student: lib/inference's GenerationOptions (HF generate() names). */
  settings: z.record(z.string(), z.unknown()).default({}),
});
export type StartGenerationInput = z.input<typeof StartGenerationInput>;

export const GenerationPayload = z.object({
  evalSetId: z.uuid(),
  systemId: z.uuid(),
  settings: z.record(z.string(), z.unknown()),
  settingsKey: z.string(),
});
export type GenerationPayload = z.infer<typeof GenerationPayload>;

/**
 * Items per chunk of a queued job. Each chunk costs a worker about ten statements (claim, read,
 * renew, count, report), so a teacher chunk holds 64 items: with 32 those statements were a fifth
 * of a worker's CPU per item. How many calls one worker has in flight is TEACHER_CALLS_PER_WORKER,
 * not the chunk's size (the system's limit caps all workers together).
 */
export const TEACHER_CALLS_PER_WORKER = 32;
export const CHUNK_ITEMS = { teacher: 64, student: 64 } as const;

/** One chunk of a generation job: the items it covers (those without outputs when it was queued). */
export const GenerationChunk = z.object({ itemIds: z.array(z.uuid()).min(1) });
export type GenerationChunk = z.infer<typeof GenerationChunk>;

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * Validates settings for the system's kind, fills defaults, and returns them with the key that
 * identifies "the same settings": equal keys mean stored outputs are reused.
 */
export function normaliseSettings(
  kind: "LLM_API" | "ONNX_MODEL",
  raw: Record<string, unknown>,
  systemDefaults: unknown = {},
) {
  if (kind === "LLM_API") {
    const defaults = z
      .record(z.string(), z.unknown())
      .catch({})
      .parse(systemDefaults ?? {});
    const settings = TeacherSettings.parse({ ...defaults, ...raw });
    return { settings, settingsKey: `t:${hash(canonical(settings))}` };
  }
  // A student: its generation_config.json's settings (stored at discovery) apply wherever the
  // request sets nothing, for the strategy requested, as in transformers' generate().
  const defaults = GenerationDefaultsSchema.catch({}).parse(systemDefaults ?? {});
  const settings = resolveGenerationOptions(defaults, raw);
  // The cache changes speed, not output: the same outputs are reused either way.
  const { useCache: _useCache, ...identity } = settings;
  return { settings, settingsKey: `s:${hash(canonical(identity))}` };
}

function hash(s: string) {
  return createHash("sha256").update(s).digest("hex").slice(0, 32);
}

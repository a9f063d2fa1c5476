import { z } from "zod";
import {
  DEFAULT_PARAPHRASE_COUNT,
  DEFAULT_PARAPHRASE_PROMPT_TEMPLATE,
  DEFAULT_TEACHER_TEMPERATURE,
  MAX_PARAPHRASE_COUNT,
  validatePromptTemplate,
} from "./prompt";

export const DEFAULT_TEACHER_TIMEOUT_MS = 60_000;
export const DEFAULT_TEACHER_MAX_RETRIES = 4;

/** The fields a user sets for a teacher, shared by the system forms and the generation settings. */
export const promptTemplateSchema = z
  .string()
  .default(DEFAULT_PARAPHRASE_PROMPT_TEMPLATE)
  .superRefine((template, ctx) => {
    for (const message of validatePromptTemplate(template)) ctx.addIssue({ code: "custom", message });
  });
export const paraphraseCountSchema = z
  .int()
  .min(1)
  .max(MAX_PARAPHRASE_COUNT, `Ask for at most ${MAX_PARAPHRASE_COUNT} paraphrases per sentence.`)
  .default(DEFAULT_PARAPHRASE_COUNT);
export const teacherTemperatureSchema = z.number().min(0).max(2).default(DEFAULT_TEACHER_TEMPERATURE);

/** Teacher settings as a user edits them per system; parse at the edge, then pass TeacherConfig on. */
export const teacherConfigSchema = z.object({
  baseUrl: z
    .string()
    .trim()
    .refine((v) => /^https?:\/\/[^\s]+$/i.test(v) && URL.canParse(v), {
      message:
        "Enter the endpoint's base URL, including /v1, e.g. https://api.openai.com/v1 or http://localhost:8000/v1.",
    }),
  model: z.string().trim().min(1, "Enter the model name the endpoint expects, e.g. gpt-4o-mini."),
  /** May be empty for local servers that need no key. */
  apiKey: z.string(),
  promptTemplate: promptTemplateSchema,
  n: paraphraseCountSchema,
  temperature: teacherTemperatureSchema,
  timeoutMs: z
    .int()
    .min(1000, "The time-out must be at least 1 second (1000 ms).")
    .max(600_000)
    .default(DEFAULT_TEACHER_TIMEOUT_MS),
  maxRetries: z.int().min(0).max(10).default(DEFAULT_TEACHER_MAX_RETRIES),
});
export type TeacherConfig = z.infer<typeof teacherConfigSchema>;

export const teacherResultSchema = z.object({
  paraphrases: z.array(z.string()),
  rawReply: z.string(),
  listFormat: z.enum(["json", "numbered", "bulleted", "lines"]),
  dropped: z.object({ duplicates: z.number().int(), copiesOfSource: z.number().int() }),
  /** Null when the endpoint does not report usage (several local servers do not). */
  promptTokens: z.number().int().nullable(),
  completionTokens: z.number().int().nullable(),
  /** "length" means the reply was cut off by the endpoint's token limit. */
  finishReason: z.string().nullable(),
  /** Duration of the request that succeeded. */
  latencyMs: z.number().nonnegative(),
  /** Duration including failed attempts and waits between them. */
  elapsedMs: z.number().nonnegative(),
  /** 1 when the first request succeeded. */
  attempts: z.number().int().positive(),
});
export type TeacherResult = z.infer<typeof teacherResultSchema>;

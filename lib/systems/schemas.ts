import { z } from "zod";
import { API_KEY_ENV_PATTERN } from "@/lib/env";
import { baseUrlCredentialProblem } from "@/lib/llm";
import { paraphraseCountSchema, promptTemplateSchema, teacherTemperatureSchema } from "@/lib/llm";

export const CreateTeacherSystemInput = z.object({
  name: z.string().trim().min(1, "Give the system a name").max(100),
  baseUrl: z
    .url("Enter the endpoint's base URL, including /v1, e.g. https://api.openai.com/v1")
    .superRefine((url, ctx) => {
      const problem = baseUrlCredentialProblem(url);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  modelName: z.string().trim().min(1, "Enter the model name, e.g. gpt-3.5-turbo"),
  /** The NAME of the environment variable that holds the key; the key itself is never stored. */
  apiKeyEnv: z
    .string()
    .regex(
      API_KEY_ENV_PATTERN,
      "Name a key variable: TEACHER_API_KEY, JUDGE_API_KEY, or one starting LLM_KEY_ (e.g. LLM_KEY_OPENAI); other variables are never sent",
    )
    .default("TEACHER_API_KEY"),
  promptTemplate: promptTemplateSchema,
  n: paraphraseCountSchema,
  temperature: teacherTemperatureSchema,
  maxConcurrency: z.number().int().min(1).max(64).default(4),
});
export type CreateTeacherSystemInput = z.input<typeof CreateTeacherSystemInput>;

export const UpdateTeacherSystemInput = CreateTeacherSystemInput.omit({ name: true }).extend({ id: z.string() });
export type UpdateTeacherSystemInput = z.input<typeof UpdateTeacherSystemInput>;

export interface SystemView {
  id: string;
  name: string;
  role: "TEACHER" | "STUDENT" | "JUDGE";
  kind: "LLM_API" | "ONNX_MODEL" | "EXTERNAL";
  description: string;
  modelName: string | null;
  baseUrl: string | null;
  /** Whether the environment variable named for the key is set; the key is never shown. */
  hasApiKey: boolean | null;
  modelDir: string | null;
  parameterCount: number | null;
  sizeOnDiskBytes: number | null;
  defaultSettings: unknown;
  promptTemplate: string | null;
  maxConcurrency: number;
  apiKeyEnv: string | null;
  /** Price per million input / output tokens, for cost figures; null when not set. */
  inputPricePerMTokens: number | null;
  outputPricePerMTokens: number | null;
  /** ONNX students: price per hour of CPU time, for cost figures; null when not set. */
  pricePerCpuHour: number | null;
}

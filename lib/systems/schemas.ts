import { z } from "zod";
import { paraphraseCountSchema, promptTemplateSchema, teacherTemperatureSchema } from "@/lib/llm";

export const CreateTeacherSystemInput = z.object({
  name: z.string().trim().min(1, "Give the system a name").max(100),
  baseUrl: z.url("Enter the endpoint's base URL, including /v1, e.g. https://api.openai.com/v1"),
  modelName: z.string().trim().min(1, "Enter the model name, e.g. gpt-3.5-turbo"),
  /** The NAME of the environment variable that holds the key; the key itself is never stored. */
  apiKeyEnv: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, "Enter an environment variable name such as TEACHER_API_KEY")
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
}

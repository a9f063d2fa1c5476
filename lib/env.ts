import { z } from "zod";

export const DEV_ADMIN_EMAIL = "admin@example.com";
export const DEV_ADMIN_PASSWORD = "change-me-admin-password";
export const DEV_SECRET = "dev-only-secret-change-me-0123456789abcdef";

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    // Optional here: without it `npm start` runs an embedded Postgres and sets it; lib/db.ts
    // refuses to query without it.
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgresql:// URL")
      .optional(),
    NEXTAUTH_SECRET: z.string().min(32, "NEXTAUTH_SECRET must be at least 32 characters").default(DEV_SECRET),
    ADMIN_EMAIL: z.email("ADMIN_EMAIL must be an email address").default(DEV_ADMIN_EMAIL),
    ADMIN_PASSWORD: z.string().min(12, "ADMIN_PASSWORD must be at least 12 characters").default(DEV_ADMIN_PASSWORD),
    // The app's public URL (next-auth's own setting); state-changing requests must come from its origin.
    NEXTAUTH_URL: z.url("NEXTAUTH_URL must be a URL such as http://localhost:3000").optional(),
    // How many reverse proxies in front of the app append to X-Forwarded-For; 0 trusts no forwarded header.
    TRUSTED_PROXIES: z.coerce
      .number<number>()
      .int()
      .min(0, "TRUSTED_PROXIES must be a whole number, 0 or more")
      .max(10, "TRUSTED_PROXIES must be at most 10")
      .default(0),
    MODELS_DIR: z.string().default("models"),
    // Unset: one intra-op thread per core (a decoder step is one chain of matrix products).
    INFERENCE_THREADS: z.coerce
      .number<number>()
      .int()
      .min(1, "INFERENCE_THREADS must be a whole number of threads, at least 1")
      .max(256)
      .optional(),
    INFERENCE_SPIN: z.enum(["0", "1"], "INFERENCE_SPIN must be 0 or 1").default("1"),
    // Where the inference worker thread's entry file is, when a bundle moved it.
    INFERENCE_WORKER_PATH: z.string().optional(),
    TEACHER_BASE_URL: z.url("TEACHER_BASE_URL must be a URL such as https://api.openai.com/v1").optional(),
    TEACHER_MODEL: z.string().default("gpt-3.5-turbo"),
    TEACHER_API_KEY: z.string().optional(),
    TEACHER_TIMEOUT_MS: z.coerce
      .number<number>()
      .int()
      .min(1000, "TEACHER_TIMEOUT_MS must be at least 1000 (ms)")
      .max(600_000)
      .default(60_000),
    TEACHER_MAX_RETRIES: z.coerce
      .number<number>()
      .int()
      .min(0)
      .max(10, "TEACHER_MAX_RETRIES must be between 0 and 10")
      .default(5),
    JUDGE_BASE_URL: z.url("JUDGE_BASE_URL must be a URL").optional(),
    JUDGE_MODEL: z.string().default("gpt-4o"),
    JUDGE_API_KEY: z.string().optional(),
    // Sentence embeddings (semantic similarity): unset, the offline Universal Sentence Encoder lite;
    // EMBEDDINGS_BASE_URL, any OpenAI-compatible /embeddings endpoint serving EMBEDDINGS_MODEL.
    EMBEDDINGS_BASE_URL: z.url("EMBEDDINGS_BASE_URL must be a URL such as https://api.openai.com/v1").optional(),
    EMBEDDINGS_MODEL: z.string().optional(),
    EMBEDDINGS_API_KEY: z.string().optional(),
    DATABASE_POOL_SIZE: z.coerce
      .number<number>()
      .int()
      .min(1, "DATABASE_POOL_SIZE must be a whole number of connections, at least 1")
      .max(500)
      .default(10),
    WORKER_LEASE_MS: z.coerce
      .number<number>()
      .int()
      .min(1000, "WORKER_LEASE_MS must be at least 1000 (ms)")
      .default(30_000),
    WORKER_POLL_MS: z.coerce.number<number>().int().min(10, "WORKER_POLL_MS must be at least 10 (ms)").default(1000),
  })
  .superRefine((env, ctx) => {
    // `npm start` on the embedded database is a local demo, even though `next start` runs with
    // NODE_ENV=production; a deployment has its own DATABASE_URL and gets no such pass.
    if (env.NODE_ENV !== "production" || process.env.LOCAL_DEMO === "1") return;
    if (env.ADMIN_PASSWORD === DEV_ADMIN_PASSWORD)
      ctx.addIssue({
        code: "custom",
        path: ["ADMIN_PASSWORD"],
        message: "the development default ADMIN_PASSWORD is refused in production; set your own",
      });
    if (env.NEXTAUTH_SECRET === DEV_SECRET)
      ctx.addIssue({
        code: "custom",
        path: ["NEXTAUTH_SECRET"],
        message:
          "the development default NEXTAUTH_SECRET is refused in production; generate one with `openssl rand -base64 32`",
      });
  });

export type Env = z.infer<typeof EnvSchema>;

/** Parses an environment; throws one readable message that lists every problem. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ""));
  const result = EnvSchema.safeParse(cleaned);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  - ${i.path.join(".") || "env"}: ${i.message}`);
  throw new Error(`Invalid environment:\n${lines.join("\n")}`);
}

let cached: Env | undefined;
/** The validated process environment, parsed once. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/**
 * The variables a system may name for its API key: the documented TEACHER_API_KEY and
 * JUDGE_API_KEY, or any name starting LLM_KEY_. The key is sent as a bearer token to a URL an
 * admin chooses, so naming DATABASE_URL or NEXTAUTH_SECRET must not be possible.
 */
export const API_KEY_ENV_PATTERN = /^(LLM_KEY_[A-Z0-9_]+|TEACHER_API_KEY|JUDGE_API_KEY)$/;

/**
 * The value of the environment variable a system names for its API key (`System.apiKeyEnv`), or
 * "" when unset or when the name is not an allowed key variable (a row written before the rule).
 * Secrets are read here, like every other variable, so there is one place to audit.
 */
export function secretFromEnv(name: string | null | undefined): string {
  if (!name || !API_KEY_ENV_PATTERN.test(name)) return "";
  return process.env[name] || "";
}

import { env } from "@/lib/env";

/** Time-out and retries for every LLM call (teacher and judge), from the validated environment. */
export function llmCallLimits(): { timeoutMs: number; maxRetries: number } {
  const e = env();
  return { timeoutMs: e.TEACHER_TIMEOUT_MS, maxRetries: e.TEACHER_MAX_RETRIES };
}

import { secretFromEnv } from "@/lib/env";
import { llmCallLimits } from "./call-limits";

/** What a registered LLM endpoint (teacher or judge) stores about where and how to call it. */
export interface LlmEndpoint {
  baseUrl: string | null;
  modelName: string | null;
  apiKeyEnv: string | null;
}

/**
 * The connection part of a chat call to a registered endpoint: URL, model, the key read from the
 * variable the endpoint names, and the time-out and retries every LLM call shares. Generation and
 * the judge both build their calls from this, so the two cannot drift apart.
 */
export function chatConfigFor(endpoint: LlmEndpoint) {
  return {
    baseUrl: endpoint.baseUrl ?? "",
    model: endpoint.modelName ?? "",
    apiKey: secretFromEnv(endpoint.apiKeyEnv),
    ...llmCallLimits(),
  };
}

/** Whether the variable an endpoint names for its key holds a value (shown on /systems, never the key). */
export function hasApiKey(endpoint: Pick<LlmEndpoint, "apiKeyEnv">): boolean {
  return secretFromEnv(endpoint.apiKeyEnv) !== "";
}

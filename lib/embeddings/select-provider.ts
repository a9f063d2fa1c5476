import { env } from "@/lib/env";
import { openAiEmbeddings } from "./openai-embeddings";
import type { EmbeddingProvider } from "./provider";
import { universalSentenceEncoder } from "./universal-sentence-encoder";

let cached: EmbeddingProvider | undefined;

/**
 * The configured encoder: an OpenAI-compatible endpoint when EMBEDDINGS_BASE_URL is set, else the
 * offline default. Read once per process; the model key it reports is what stored vectors carry.
 */
export function embeddingProvider(): EmbeddingProvider {
  if (cached) return cached;
  const e = env();
  if (e.EMBEDDINGS_BASE_URL) {
    cached = openAiEmbeddings({
      baseUrl: e.EMBEDDINGS_BASE_URL,
      model: e.EMBEDDINGS_MODEL ?? "text-embedding-3-small",
      apiKey: e.EMBEDDINGS_API_KEY ?? "",
      timeoutMs: e.TEACHER_TIMEOUT_MS,
      maxRetries: e.TEACHER_MAX_RETRIES,
    });
  } else {
    if (e.EMBEDDINGS_MODEL)
      throw new Error(
        `EMBEDDINGS_MODEL=${e.EMBEDDINGS_MODEL} is set without EMBEDDINGS_BASE_URL: set the endpoint that serves it, or unset EMBEDDINGS_MODEL to use the offline default`,
      );
    cached = universalSentenceEncoder();
  }
  return cached;
}

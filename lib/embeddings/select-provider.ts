import { env } from "@/lib/env";
import { onnxSentenceEncoder } from "./onnx-sentence-encoder";
import { openAiEmbeddings } from "./openai-embeddings";
import type { EmbeddingProvider } from "./provider";
import { universalSentenceEncoder } from "./universal-sentence-encoder";

let cached: EmbeddingProvider | undefined;

/**
 * The configured encoder: an OpenAI-compatible endpoint when EMBEDDINGS_BASE_URL is set; else the
 * sentence-transformers ONNX export in models/<EMBEDDINGS_MODEL> when EMBEDDINGS_MODEL is set; else
 * the offline default. Read once per process; the model key it reports is what stored vectors carry.
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
  } else if (e.EMBEDDINGS_MODEL) {
    try {
      cached = onnxSentenceEncoder(e.EMBEDDINGS_MODEL);
    } catch (err) {
      throw new Error(
        `EMBEDDINGS_MODEL=${e.EMBEDDINGS_MODEL} without EMBEDDINGS_BASE_URL names a sentence-transformers ONNX folder in models/, but ${(err as Error).message}. Set EMBEDDINGS_BASE_URL for an endpoint, or unset EMBEDDINGS_MODEL for the offline default`,
      );
    }
  } else {
    cached = universalSentenceEncoder();
  }
  return cached;
}

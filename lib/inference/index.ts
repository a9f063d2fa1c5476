/**
 * The inference domain's entry: the only module other code imports to list or run models.
 * Everything that touches models/ and onnxruntime-node lives behind it.
 *
 * - discoverModels / findModel: model folders under MODELS_DIR (default <cwd>/models).
 * - paraphrase: runs a batch in the inference worker thread (use this from the app).
 * - runParaphrase: the same in the calling thread (scripts, benchmarks).
 * - describeSentenceEncoder / loadSentenceEncoder: a sentence-transformers feature-extraction
 *   export (model.onnx + pooling config) that embeds texts, for lib/embeddings.
 * - resolveGenerationOptions: the options a model runs with, given what the caller set
 *   (ModelInfo.generationDefaults fills the rest); every result also carries them.
 */
export { defaultModelsDir, discoverModels, findModel } from "./discover-models";
export type { DiscoveryResult, IncompleteModel, ModelInfo } from "./discover-models";
export { generationDefaults, GenerationDefaultsSchema, resolveGenerationOptions } from "./generation-config";
export type { GenerationDefaults } from "./generation-config";
export { closeParaphrasePool, paraphrase } from "./paraphrase-pool";
export { runParaphrase } from "./run-paraphrase";
export { describeSentenceEncoder, loadSentenceEncoder } from "./sentence-encoder";
export type { PoolingMode, SentenceEncoder, SentenceEncoderInfo } from "./sentence-encoder";
export { GenerationOptionsSchema, ParaphraseRequestSchema, ParaphraseResultSchema } from "./schemas";
export type {
  GenerationOptions,
  GenerationOptionsInput,
  ParaphraseRequest,
  ParaphraseRequestInput,
  ParaphraseResult,
} from "./schemas";

import { performance } from "node:perf_hooks";
import { NotFoundError, ValidationError } from "../errors";
import { defaultModelsDir, findModel } from "./discover-models";
import { generate } from "./generate";
import { resolveGenerationOptions } from "./generation-config";
import { ParaphraseRequestSchema, type ParaphraseRequestInput, type ParaphraseResult } from "./schemas";
import { loadModel } from "./seq2seq-model";

/**
 * Paraphrases a batch in the calling thread. The app goes through paraphrase() (the worker
 * pool) instead, so that a long batch never blocks a server's event loop.
 */
export async function runParaphrase(input: ParaphraseRequestInput): Promise<ParaphraseResult> {
  const request = ParaphraseRequestSchema.parse(input);
  const started = performance.now();
  if (request.inputs.some((t) => t.length > 4000)) throw new ValidationError("inputs must be at most 4000 characters");
  const info = await findModel(request.modelName, request.modelsDir ?? defaultModelsDir());
  if (!info) throw new NotFoundError(`No complete model folder named "${request.modelName}"`);
  // The caller's options as given (not the schema's defaults): the model's generation_config.json fills the gaps
  const options = resolveGenerationOptions(info.generationDefaults, input.options);
  const model = await loadModel(info);
  const cpuBefore = process.cpuUsage();
  const g = await generate(model, request.inputs, options);
  const cpu = process.cpuUsage(cpuBefore);
  return {
    modelName: info.name,
    outputs: g.texts,
    scores: g.scores,
    sequences: g.sequences,
    tokenCounts: { input: g.inputTokenCounts, generated: g.generatedTokenCounts },
    latencyMs: performance.now() - started,
    cpuMs: (cpu.user + cpu.system) / 1000,
    usedKvCache: g.usedKvCache,
    options,
    model: { files: model.info.runFiles, precision: model.info.precision, description: model.info.description },
  };
}

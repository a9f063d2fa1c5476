import { ValidationError } from "../errors";
import { beamSearch } from "./beam-search";
import { createDecoderRunner } from "./decoder-runner";
import { diverseBeamSearch } from "./diverse-beam-search";
import { greedySearch, type DecodeInput, type DecodeOutput } from "./greedy";
import { sample } from "./sampling";
import type { GenerationOptions } from "./schemas";
import { encodeBatch, type LoadedModel } from "./seq2seq-model";

export type Generation = {
  /** Per input, numReturnSequences entries. */
  texts: string[][];
  sequences: number[][][];
  scores: number[][];
  inputTokenCounts: number[];
  /** Per output: generated tokens, EOS included, start token excluded. */
  generatedTokenCounts: number[][];
  usedKvCache: boolean;
};

const STRATEGIES: Record<GenerationOptions["strategy"], (d: DecodeInput) => Promise<DecodeOutput>> = {
  greedy: greedySearch,
  beam: beamSearch,
  "diverse-beam": diverseBeamSearch,
  sampling: sample,
};

/** Decoder rows per input: the beams, or the independent samples. */
export function rowsPerInput(o: GenerationOptions): number {
  if (o.strategy === "beam" || o.strategy === "diverse-beam") return o.numBeams;
  return o.strategy === "sampling" ? o.numReturnSequences : 1;
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Runs one batch of inputs through the encoder once and decodes it with the chosen strategy.
 * Options must already be parsed by GenerationOptionsSchema.
 */
export async function generate(model: LoadedModel, inputs: string[], options: GenerationOptions): Promise<Generation> {
  const limit = model.info.maxPositionEmbeddings;
  if (limit !== null && options.maxNewTokens + 1 > limit) {
    throw new ValidationError(`maxNewTokens must be at most ${limit - 1} for ${model.info.name}`);
  }
  const encoded = await encodeBatch(model, inputs);
  const perInput = rowsPerInput(options);
  const runner = createDecoderRunner(
    {
      model,
      hiddenStates: encoded.hiddenStates,
      attentionMask: encoded.attentionMask,
      rowsPerInput: perInput,
      maxLength: 1 + options.maxNewTokens,
    },
    options.useCache,
  );
  const { info } = model;
  const out = await STRATEGIES[options.strategy]({
    runner,
    batch: inputs.length,
    options,
    startId: info.decoderStartTokenId,
    eosId: info.eosTokenId,
    padId: info.padTokenId,
    eosIds: info.eosTokenIds,
    forced: { bos: info.forcedBosTokenId, eos: info.forcedEosTokenId, maxLength: 1 + options.maxNewTokens },
  });
  const n = options.numReturnSequences;
  const sequences = chunk(out.sequences, n);
  return {
    texts: sequences.map((seqs) => seqs.map((s) => model.tokenizer.decode(s, { skip_special_tokens: true }).trim())),
    sequences,
    scores: chunk(out.scores, n),
    inputTokenCounts: encoded.inputIds.map((ids) => ids.length),
    generatedTokenCounts: sequences.map((seqs) => seqs.map((s) => s.length - 1)),
    usedKvCache: runner.usesCache,
  };
}

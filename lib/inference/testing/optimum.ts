import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { GenerationOptionsInput } from "../schemas";

/**
 * Tiny real Optimum exports (optimum 2.1 + optimum-onnx 0.1, transformers 4.57.6) of a T5, a
 * Flan-T5-style and a BART model in every layout, with transformers' generate() outputs
 * (reference.json). fixtures/optimum/README.md says how they were made.
 */
export const OPTIMUM_DIR = fileURLToPath(new URL("./fixtures/optimum", import.meta.url));
export const OPTIMUM_MODELS = ["t5", "flan-t5", "bart"] as const;
export type OptimumModel = (typeof OPTIMUM_MODELS)[number];

type Output = { ids: number[]; text: string; score?: number; logprob_sum?: number };
export type Strategy = {
  generate_kwargs: Record<string, number | boolean>;
  effective_generation_config: Record<string, unknown>;
  outputs: (Output | Output[])[];
};
export type OptimumReference = {
  parameters: number;
  prefix: string;
  inputs: string[];
  input_ids: number[][];
  strategies: Record<string, Strategy>;
};

export function optimumReference(model: OptimumModel): OptimumReference {
  return JSON.parse(readFileSync(path.join(OPTIMUM_DIR, model, "reference.json"), "utf8")) as OptimumReference;
}

/** The runner's options for generate()'s keyword arguments (the same meaning, camelCase names). */
export function optionsForKwargs(kwargs: Record<string, number | boolean>): GenerationOptionsInput {
  const beams = Number(kwargs.num_beams ?? 1);
  const groups = Number(kwargs.num_beam_groups ?? 1);
  const o: GenerationOptionsInput = {
    strategy: beams === 1 ? "greedy" : groups > 1 ? "diverse-beam" : "beam",
    maxNewTokens: Number(kwargs.max_new_tokens),
  };
  if (beams > 1) o.numBeams = beams;
  if (groups > 1) o.numBeamGroups = groups;
  if (kwargs.diversity_penalty !== undefined) o.diversityPenalty = Number(kwargs.diversity_penalty);
  if (kwargs.num_return_sequences !== undefined) o.numReturnSequences = Number(kwargs.num_return_sequences);
  if (kwargs.length_penalty !== undefined) o.lengthPenalty = Number(kwargs.length_penalty);
  if (kwargs.no_repeat_ngram_size !== undefined) o.noRepeatNgramSize = Number(kwargs.no_repeat_ngram_size);
  return o;
}

/** Per input, the expected sequences (best first) and their scores. */
export function expected(s: Strategy): { ids: number[][]; scores: number[] }[] {
  return s.outputs.map((o) => {
    const list = Array.isArray(o) ? o : [o];
    return { ids: list.map((x) => x.ids), scores: list.map((x) => (x.score ?? x.logprob_sum)!) };
  });
}

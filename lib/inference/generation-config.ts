import { z } from "zod";
import { GenerationOptionsSchema, type GenerationOptions, type GenerationOptionsInput } from "./schemas";

/**
 * generation_config.json as transformers reads it: the decoding settings a model's author chose
 * (num_beams, length_penalty, ...) apply wherever the caller sets nothing; what the caller sets
 * wins. The special tokens (forced BOS/EOS, decoder start, EOS, pad) are read by discovery.
 */
export type GenerationDefaults = Partial<Omit<GenerationOptionsInput, "strategy" | "useCache" | "seed">> & {
  doSample?: boolean;
};

/** GenerationDefaults as stored (System.defaultSettings of a student): parsed, not cast, when read back. */
export const GenerationDefaultsSchema = z
  .object({
    doSample: z.boolean(),
    numBeams: z.number().int(),
    numBeamGroups: z.number().int(),
    diversityPenalty: z.number(),
    lengthPenalty: z.number(),
    earlyStopping: z.union([z.boolean(), z.literal("never")]),
    noRepeatNgramSize: z.number().int(),
    repetitionPenalty: z.number(),
    numReturnSequences: z.number().int(),
    temperature: z.number(),
    topK: z.number().int(),
    topP: z.number(),
    maxNewTokens: z.number().int(),
    minNewTokens: z.number().int(),
  })
  .partial();

type Json = Record<string, unknown>;
const n = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);

export function generationDefaults(gen: Json): GenerationDefaults {
  const maxLength = n(gen.max_length);
  const minLength = n(gen.min_length);
  const early = gen.early_stopping;
  const out: GenerationDefaults = {
    doSample: typeof gen.do_sample === "boolean" ? gen.do_sample : undefined,
    numBeams: n(gen.num_beams),
    numBeamGroups: n(gen.num_beam_groups),
    diversityPenalty: n(gen.diversity_penalty),
    lengthPenalty: n(gen.length_penalty),
    earlyStopping: typeof early === "boolean" || early === "never" ? early : undefined,
    noRepeatNgramSize: n(gen.no_repeat_ngram_size),
    repetitionPenalty: n(gen.repetition_penalty),
    numReturnSequences: n(gen.num_return_sequences),
    temperature: n(gen.temperature),
    topK: n(gen.top_k),
    topP: n(gen.top_p),
    // an encoder-decoder's max_length and min_length count the decoder start token
    maxNewTokens: n(gen.max_new_tokens) ?? (maxLength !== undefined ? Math.max(1, maxLength - 1) : undefined),
    minNewTokens: n(gen.min_new_tokens) ?? (minLength !== undefined ? Math.max(0, minLength - 1) : undefined),
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as GenerationDefaults;
}

/** Which settings belong to which strategy: a model's default for another strategy is not applied. */
const APPLIES: Record<string, GenerationOptions["strategy"][]> = {
  numBeams: ["beam", "diverse-beam"],
  numBeamGroups: ["diverse-beam"],
  diversityPenalty: ["diverse-beam"],
  lengthPenalty: ["beam", "diverse-beam"],
  earlyStopping: ["beam", "diverse-beam"],
  numReturnSequences: ["beam", "diverse-beam", "sampling"],
  temperature: ["sampling"],
  topK: ["sampling"],
  topP: ["sampling"],
};

/**
 * The options a generation runs with: the caller's, then the model's generation_config.json
 * defaults for what the caller left out, then generate()'s own defaults. Throws ZodError on
 * invalid options.
 */
export function resolveGenerationOptions(
  defaults: GenerationDefaults,
  /** What the caller asked for; validated here (GenerationOptionsSchema) after the merge. */
  requested: GenerationOptionsInput | Record<string, unknown> | undefined,
): GenerationOptions {
  const raw: Record<string, unknown> = { ...(requested ?? {}) };
  for (const [k, v] of Object.entries(raw)) if (v === undefined) delete raw[k];
  const { doSample, ...rest } = defaults;
  const strategy =
    (raw.strategy as GenerationOptions["strategy"] | undefined) ??
    (doSample
      ? "sampling"
      : (rest.numBeams ?? 1) > 1
        ? (rest.numBeamGroups ?? 1) > 1
          ? "diverse-beam"
          : "beam"
        : "greedy");
  const merged: Record<string, unknown> = { strategy };
  for (const [k, v] of Object.entries(rest)) {
    if (APPLIES[k] && !APPLIES[k].includes(strategy)) continue;
    merged[k] = v;
  }
  Object.assign(merged, raw);
  // A model's limits bend to the caller's: transformers lets min_length exceed the length limit
  // (EOS is then never allowed); the runner's schema refuses that, so a config minimum is capped
  if (typeof merged.maxNewTokens === "number" && raw.maxNewTokens === undefined)
    merged.maxNewTokens = Math.min(merged.maxNewTokens, 512);
  if (raw.minNewTokens === undefined && typeof merged.minNewTokens === "number")
    merged.minNewTokens = Math.min(merged.minNewTokens, Number(merged.maxNewTokens ?? 32));
  // a model's num_return_sequences never exceeds the beams the caller asked for
  if (raw.numReturnSequences === undefined && typeof merged.numBeams === "number" && strategy !== "sampling") {
    merged.numReturnSequences = Math.min(Number(merged.numReturnSequences ?? 1), merged.numBeams);
  }
  return GenerationOptionsSchema.parse(merged);
}

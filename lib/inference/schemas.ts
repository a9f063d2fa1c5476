import { z } from "zod";

/**
 * Decoding options, named as camelCase versions of Hugging Face generate()'s arguments and with
 * the same meaning. Defaults are generate()'s defaults except maxNewTokens.
 */
export const GenerationOptionsSchema = z
  .object({
    strategy: z.enum(["greedy", "beam", "diverse-beam", "sampling"]).default("greedy"),
    maxNewTokens: z.number().int().min(1).max(512).default(32),
    /** EOS is forbidden until this many tokens are generated; = maxNewTokens forces the length. */
    minNewTokens: z.number().int().min(0).max(512).default(0),
    numBeams: z.number().int().min(1).max(64).default(1),
    numBeamGroups: z.number().int().min(1).max(64).default(1),
    diversityPenalty: z.number().min(0).default(0),
    lengthPenalty: z.number().default(1),
    earlyStopping: z.union([z.boolean(), z.literal("never")]).default(false),
    numReturnSequences: z.number().int().min(1).max(64).default(1),
    noRepeatNgramSize: z.number().int().min(0).default(0),
    repetitionPenalty: z.number().positive().default(1),
    temperature: z.number().positive().default(1),
    topK: z.number().int().min(0).default(50),
    topP: z.number().gt(0).max(1).default(1),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .optional(),
    /** false forces the no-cache decoder even when decoder_with_past_model.onnx exists. */
    useCache: z.boolean().default(true),
  })
  .superRefine((o, ctx) => {
    const fail = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (o.minNewTokens > o.maxNewTokens) fail("minNewTokens", "minNewTokens must not exceed maxNewTokens");
    if (o.strategy === "greedy") {
      if (o.numBeams !== 1) fail("numBeams", "greedy decoding uses numBeams = 1; choose strategy 'beam'");
      if (o.numReturnSequences !== 1)
        fail("numReturnSequences", "greedy decoding returns one sequence per input; use beam or sampling for more");
    }
    if (o.strategy === "sampling" && o.numBeams !== 1)
      fail("numBeams", "sampling draws each sequence independently; numBeams must be 1");
    if (o.strategy === "beam" || o.strategy === "diverse-beam") {
      if (o.numBeams < 2) fail("numBeams", `${o.strategy} search needs numBeams >= 2`);
      if (o.numReturnSequences > o.numBeams)
        fail("numReturnSequences", `numReturnSequences (${o.numReturnSequences}) must be <= numBeams (${o.numBeams})`);
    }
    if (o.strategy === "beam" && (o.numBeamGroups !== 1 || o.diversityPenalty !== 0))
      fail("numBeamGroups", "numBeamGroups and diversityPenalty belong to strategy 'diverse-beam'");
    if (o.strategy === "diverse-beam") {
      if (o.numBeamGroups < 2) fail("numBeamGroups", "diverse beam search needs numBeamGroups >= 2");
      if (o.numBeams % o.numBeamGroups !== 0)
        fail("numBeamGroups", `numBeams (${o.numBeams}) must be divisible by numBeamGroups (${o.numBeamGroups})`);
      if (o.diversityPenalty <= 0) fail("diversityPenalty", "diverse beam search needs diversityPenalty > 0");
    }
  });

export type GenerationOptions = z.output<typeof GenerationOptionsSchema>;
export type GenerationOptionsInput = z.input<typeof GenerationOptionsSchema>;

export const ParaphraseRequestSchema = z.object({
  modelName: z.string().min(1),
  inputs: z.array(z.string().trim().min(1, "inputs must not be empty strings")).min(1).max(256),
  options: GenerationOptionsSchema.default(GenerationOptionsSchema.parse({})),
  /** Models directory; defaults to MODELS_DIR or <cwd>/models. */
  modelsDir: z.string().optional(),
});

export type ParaphraseRequest = z.output<typeof ParaphraseRequestSchema>;
export type ParaphraseRequestInput = z.input<typeof ParaphraseRequestSchema>;

export const ParaphraseResultSchema = z.object({
  modelName: z.string(),
  /** Per input, numReturnSequences paraphrases, best first for beam strategies. */
  outputs: z.array(z.array(z.string())),
  /** Per input and return: beam score (HF sequences_scores) or the sum of token log-probabilities. */
  scores: z.array(z.array(z.number())),
  /** Token ids of each output, starting with the decoder start token, as generate() returns them. */
  sequences: z.array(z.array(z.array(z.number().int()))),
  tokenCounts: z.object({
    input: z.array(z.number().int()),
    /** Generated tokens per output, EOS included, decoder start token and padding excluded. */
    generated: z.array(z.array(z.number().int())),
  }),
  latencyMs: z.number(),
  /**
   * CPU time (user + system, ms) the process spent from tokenizing to the last decoder step: ONNX
   * Runtime's intra-op threads are threads of this process. Process-wide, so work running beside
   * the batch in the same process is counted too.
   */
  cpuMs: z.number(),
  usedKvCache: z.boolean(),
  /** The options in effect: the caller's, then the model's generation_config.json, then generate()'s defaults. */
  options: GenerationOptionsSchema,
  /** What ran: the model's files, precision, and a one-line description. */
  model: z.object({ files: z.array(z.string()), precision: z.string(), description: z.string() }),
});

export type ParaphraseResult = z.output<typeof ParaphraseResultSchema>;

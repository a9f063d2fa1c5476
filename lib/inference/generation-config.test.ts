import { describe, expect, it } from "vitest";
import { generationDefaults, resolveGenerationOptions } from "./generation-config";

// facebook/bart-large-cnn's decoding settings, as its generation_config.json sets them
const bartCnn = generationDefaults({
  bos_token_id: 0,
  decoder_start_token_id: 2,
  early_stopping: true,
  eos_token_id: 2,
  forced_bos_token_id: 0,
  forced_eos_token_id: 2,
  length_penalty: 2.0,
  max_length: 142,
  min_length: 56,
  no_repeat_ngram_size: 3,
  num_beams: 4,
  pad_token_id: 1,
});

describe("resolveGenerationOptions", () => {
  it("applies a config's decoding settings where the caller sets nothing", () => {
    expect(resolveGenerationOptions(bartCnn, {})).toMatchObject({
      strategy: "beam",
      numBeams: 4,
      lengthPenalty: 2,
      earlyStopping: true,
      noRepeatNgramSize: 3,
      maxNewTokens: 141,
      minNewTokens: 55,
      numReturnSequences: 1,
    });
  });

  it("lets the caller's settings win, and drops beam settings for greedy search", () => {
    const o = resolveGenerationOptions(bartCnn, { strategy: "greedy", maxNewTokens: 32, lengthPenalty: 1 });
    expect(o).toMatchObject({ strategy: "greedy", numBeams: 1, lengthPenalty: 1, maxNewTokens: 32 });
    // the config's minimum (55 new tokens) cannot exceed the caller's limit
    expect(o.minNewTokens).toBe(32);
  });

  it("uses generate()'s defaults for a config without decoding settings", () => {
    const o = resolveGenerationOptions(generationDefaults({ eos_token_id: 1, pad_token_id: 0 }), undefined);
    expect(o).toMatchObject({ strategy: "greedy", numBeams: 1, maxNewTokens: 32, lengthPenalty: 1 });
  });
});

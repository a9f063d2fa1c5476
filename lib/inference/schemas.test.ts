import { describe, expect, it } from "vitest";
import { GenerationOptionsSchema, ParaphraseRequestSchema } from "./schemas";

const messages = (input: unknown) => {
  const r = GenerationOptionsSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("GenerationOptionsSchema", () => {
  it("accepts generate()'s usual settings and fills defaults", () => {
    const o = GenerationOptionsSchema.parse({
      strategy: "diverse-beam",
      numBeams: 4,
      numBeamGroups: 4,
      diversityPenalty: 1,
    });
    expect(o).toMatchObject({
      maxNewTokens: 32,
      lengthPenalty: 1,
      earlyStopping: false,
      numReturnSequences: 1,
      useCache: true,
    });
  });

  it("says when numBeams is not divisible by numBeamGroups", () => {
    expect(messages({ strategy: "diverse-beam", numBeams: 6, numBeamGroups: 4, diversityPenalty: 1 })).toContain(
      "numBeamGroups: numBeams (6) must be divisible by numBeamGroups (4)",
    );
  });

  it("rejects more return sequences than beams, and several from greedy", () => {
    expect(messages({ strategy: "beam", numBeams: 2, numReturnSequences: 3 })).toContain(
      "numReturnSequences: numReturnSequences (3) must be <= numBeams (2)",
    );
    expect(messages({ strategy: "greedy", numReturnSequences: 2 })[0]).toMatch(/greedy decoding returns one sequence/);
  });

  it("rejects diverse beam search without a penalty and beam options on sampling", () => {
    expect(messages({ strategy: "diverse-beam", numBeams: 4, numBeamGroups: 2 })).toContain(
      "diversityPenalty: diverse beam search needs diversityPenalty > 0",
    );
    expect(messages({ strategy: "sampling", numBeams: 4 })[0]).toMatch(/numBeams must be 1/);
    expect(messages({ topP: 0 })[0]).toMatch(/^topP/);
    expect(messages({ minNewTokens: 9, maxNewTokens: 8 })[0]).toMatch(/minNewTokens must not exceed/);
  });

  it("rejects empty input lists and blank inputs", () => {
    expect(ParaphraseRequestSchema.safeParse({ modelName: "m", inputs: [] }).success).toBe(false);
    expect(ParaphraseRequestSchema.safeParse({ modelName: "m", inputs: ["  "] }).success).toBe(false);
  });
});

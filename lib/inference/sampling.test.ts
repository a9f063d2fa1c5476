import { beforeAll, describe, expect, it } from "vitest";
import { findModel } from "./discover-models";
import { generate } from "./generate";
import { drawFromLogits, mulberry32 } from "./sampling";
import { GenerationOptionsSchema } from "./schemas";
import { loadModel, type LoadedModel } from "./seq2seq-model";
import { loadReference, SHIPPED_MODELS_DIR, STUDENT } from "./testing/fixtures";

const inputs = loadReference().inputs;
let model: LoadedModel;
beforeAll(async () => {
  model = await loadModel((await findModel(STUDENT, SHIPPED_MODELS_DIR))!);
});

const sampling = (extra: Record<string, unknown>) =>
  GenerationOptionsSchema.parse({ strategy: "sampling", numReturnSequences: 4, temperature: 1.5, topK: 0, ...extra });

describe("sampling", () => {
  it("gives the same outputs for the same seed, run to run", async () => {
    const a = await generate(model, inputs, sampling({ seed: 7 }));
    const b = await generate(model, inputs, sampling({ seed: 7 }));
    expect(b.sequences).toEqual(a.sequences);
    expect(a.texts.every((outs) => outs.length === 4)).toBe(true);
  });

  it("gives different outputs for different seeds", async () => {
    const a = await generate(model, inputs, sampling({ seed: 7 }));
    const b = await generate(model, inputs, sampling({ seed: 8 }));
    expect(b.sequences).not.toEqual(a.sequences);
  });

  it("draws several distinct paraphrases per input", async () => {
    const g = await generate(model, inputs, sampling({ seed: 3 }));
    const distinct = g.texts.map((outs) => new Set(outs).size);
    expect(Math.max(...distinct)).toBeGreaterThan(1);
  });

  it("gives the same samples with and without the KV cache", async () => {
    const a = await generate(model, inputs, sampling({ seed: 11, useCache: true }));
    const b = await generate(model, inputs, sampling({ seed: 11, useCache: false }));
    expect(a.usedKvCache).toBe(true);
    expect(b.usedKvCache).toBe(false);
    expect(b.sequences).toEqual(a.sequences);
  });

  it("with topK 1 is greedy search", async () => {
    const s = await generate(model, inputs, GenerationOptionsSchema.parse({ strategy: "sampling", topK: 1, seed: 5 }));
    const g = await generate(model, inputs, GenerationOptionsSchema.parse({ strategy: "greedy" }));
    expect(s.sequences).toEqual(g.sequences);
  });
});

describe("mulberry32 and drawFromLogits", () => {
  it("are deterministic per seed and follow the weights", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const seqA = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(seqA);
    expect(new Set(seqA).size).toBe(5);
    const rng = mulberry32(1);
    const scores = Float32Array.from([Math.log(0.1), Math.log(0.6), Math.log(0.3), -Infinity]);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 20000; i++) counts[drawFromLogits(scores, rng())]++;
    expect(counts[3]).toBe(0);
    expect(counts[1] / 20000).toBeCloseTo(0.6, 1);
    expect(counts[0] / 20000).toBeCloseTo(0.1, 1);
  });
});

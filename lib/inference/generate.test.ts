import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findModel } from "./discover-models";
import { generate } from "./generate";
import { GenerationOptionsSchema } from "./schemas";
import { loadModel, type LoadedModel } from "./seq2seq-model";
import {
  loadReference,
  optionsFor,
  SHIPPED_MODELS_DIR,
  STUDENT,
  studentCopyWithout,
  trimPadding,
  type ReferenceCase,
} from "./test-fixtures";

// The references were decoded by an independent PyTorch implementation of generate()'s
// algorithms (models/train-student/decode.py) from the same weights.
const reference = loadReference();
const byStrategy = (prefix: string) => reference.cases.filter((c) => c.name.startsWith(prefix));

let cached: LoadedModel;
let noCache: LoadedModel;
let copy: ReturnType<typeof studentCopyWithout>;

beforeAll(async () => {
  cached = await loadModel((await findModel(STUDENT, SHIPPED_MODELS_DIR))!);
  copy = studentCopyWithout(["decoder_with_past_model.onnx"]);
  noCache = await loadModel((await findModel(STUDENT, copy.dir))!);
});
afterAll(() => copy.cleanup());

async function expectMatchesReference(model: LoadedModel, c: ReferenceCase, useCache: boolean) {
  const g = await generate(model, reference.inputs, optionsFor(c, useCache));
  expect(g.sequences.flat()).toEqual(c.sequences.map((s) => trimPadding(s)));
  const scores = g.scores.flat();
  expect(scores).toHaveLength(c.scores.length);
  scores.forEach((s, i) => expect(Math.abs(s - c.scores[i])).toBeLessThan(1e-4));
  return g;
}

describe.each([
  ["greedy", byStrategy("greedy")],
  ["beam search", byStrategy("beam")],
  ["diverse beam search", byStrategy("diverse")],
])("%s against the PyTorch reference", (_label, cases) => {
  it.each(cases.map((c) => [c.name, c] as const))("%s: same token ids and scores with the KV cache", async (_n, c) => {
    const g = await expectMatchesReference(cached, c, true);
    expect(g.usedKvCache).toBe(true);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s: same without decoder_with_past_model.onnx", async (_n, c) => {
    const g = await expectMatchesReference(noCache, c, true);
    expect(g.usedKvCache).toBe(false);
  });
});

describe("generate", () => {
  it("has reference cases for every deterministic strategy", () => {
    expect(byStrategy("greedy").length).toBeGreaterThan(0);
    expect(byStrategy("beam").length).toBeGreaterThan(0);
    expect(byStrategy("diverse").length).toBeGreaterThan(0);
  });

  it("paraphrases the demo sentences instead of copying them", async () => {
    const options = GenerationOptionsSchema.parse({ strategy: "beam", numBeams: 4, numReturnSequences: 2 });
    const g = await generate(cached, reference.inputs, options);
    g.texts.forEach((outs, i) => {
      expect(outs).toHaveLength(2);
      for (const out of outs) {
        expect(out).not.toBe(reference.inputs[i]);
        expect(out).toMatch(/^[A-Z].*\.$/);
      }
    });
  });

  it("forces exactly maxNewTokens tokens when minNewTokens equals it", async () => {
    const options = GenerationOptionsSchema.parse({ strategy: "beam", numBeams: 2, maxNewTokens: 30, minNewTokens: 30 });
    const g = await generate(cached, reference.inputs.slice(0, 2), options);
    expect(g.generatedTokenCounts.flat()).toEqual([30, 30]);
  });

  it("refuses inputs longer than the model's positions", async () => {
    const long = Array(80).fill("the").join(" ");
    await expect(generate(cached, [long], GenerationOptionsSchema.parse({}))).rejects.toThrow(/reads at most 64/);
  });
});

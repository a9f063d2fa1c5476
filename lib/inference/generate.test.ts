import path from "node:path";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findModel } from "./discover-models";
import { generate } from "./generate";
import { GenerationOptionsSchema } from "./schemas";
import { loadModel, type LoadedModel } from "./seq2seq-model";
import { sessionOptions } from "./session-cache";
import {
  loadReference,
  optionsFor,
  SHIPPED_MODELS_DIR,
  STUDENT,
  studentCopyWithout,
  trimPadding,
  type ReferenceCase,
} from "./testing/fixtures";

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

describe("the cached decoder without the runner's graph additions", () => {
  const deterministic = reference.cases.filter((c) => !c.name.startsWith("diverse"));
  let original: ort.InferenceSession;
  beforeAll(async () => {
    original = await ort.InferenceSession.create(
      path.join(SHIPPED_MODELS_DIR, STUDENT, "decoder_with_past_model.onnx"),
      sessionOptions(),
    );
  });
  afterAll(() => original.release());

  it.each(deterministic.map((c) => [c.name, c] as const))(
    "%s: the export as written (whole present outputs, whole rows)",
    async (_n, c) => {
      const g = await expectMatchesReference(
        { ...cached, decoderWithPast: original, withPastOutputs: { logprobs: false, newKeyValues: null } },
        c,
        true,
      );
      expect(g.usedKvCache).toBe(true);
    },
  );

  it.each(deterministic.map((c) => [c.name, c] as const))(
    "%s: log-probabilities from the graph, present outputs gathered",
    async (_n, c) => {
      await expectMatchesReference(
        { ...cached, withPastOutputs: { ...cached.withPastOutputs, newKeyValues: null } },
        c,
        true,
      );
    },
  );
});

describe("generate", () => {
  it("has reference cases for every deterministic strategy", () => {
    expect(byStrategy("greedy").length).toBeGreaterThan(0);
    expect(byStrategy("beam").length).toBeGreaterThan(0);
    expect(byStrategy("diverse").length).toBeGreaterThan(0);
  });

  it("runs the shipped student's with-past decoder with the runner's additions", () => {
    // so every cached reference case above went through the top-k and new-position paths
    expect(cached.withPastOutputs.logprobs).toBe(true);
    expect(cached.withPastOutputs.newKeyValues).toHaveLength(2);
  });

  it("decodes the start token once per input, not once per beam", async () => {
    const rows: number[] = [];
    const decoder = new Proxy(cached.decoder, {
      get(target, prop) {
        if (prop === "run") {
          return (feeds: Record<string, ort.Tensor>, ...rest: never[]) => {
            rows.push(feeds.input_ids.dims[0]);
            return target.run(feeds, ...rest);
          };
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const options = GenerationOptionsSchema.parse({ strategy: "beam", numBeams: 4, numReturnSequences: 2 });
    const g = await generate({ ...cached, decoder }, reference.inputs.slice(0, 3), options);
    expect(rows).toEqual([3]);
    expect(g.sequences.flat()).toEqual(
      byStrategy("beam4")[0]
        .sequences.slice(0, 12)
        .filter((_, i) => i % 4 < 2),
    );
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
    const options = GenerationOptionsSchema.parse({
      strategy: "beam",
      numBeams: 2,
      maxNewTokens: 30,
      minNewTokens: 30,
    });
    const g = await generate(cached, reference.inputs.slice(0, 2), options);
    expect(g.generatedTokenCounts.flat()).toEqual([30, 30]);
  });

  it("refuses inputs longer than the model's positions", async () => {
    const long = Array(80).fill("the").join(" ");
    await expect(generate(cached, [long], GenerationOptionsSchema.parse({}))).rejects.toThrow(/reads at most 64/);
  });
});

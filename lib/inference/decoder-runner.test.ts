import { beforeAll, describe, expect, it } from "vitest";
import { createDecoderRunner } from "./decoder-runner";
import { findModel } from "./discover-models";
import { topK } from "./logits-processors";
import { encodeBatch, loadModel, type LoadedModel } from "./seq2seq-model";
import { loadReference, SHIPPED_MODELS_DIR, STUDENT } from "./testing/fixtures";

let model: LoadedModel;
beforeAll(async () => {
  model = await loadModel((await findModel(STUDENT, SHIPPED_MODELS_DIR))!);
});

describe("the cached decoder runner", () => {
  it("gives each row's top-k and gathered scores that agree with the whole rows rescore() returns", async () => {
    const inputs = loadReference().inputs.slice(0, 2);
    const encoded = await encodeBatch(model, inputs);
    const perInput = 3;
    const runner = createDecoderRunner(
      { model, hiddenStates: encoded.hiddenStates, attentionMask: encoded.attentionMask, rowsPerInput: perInput },
      true,
    );
    const rows = inputs.length * perInput;
    let ids = Array.from({ length: rows }, () => [0]);
    const first = await runner.step(ids, "logprobs");
    const vocab = first.vocabSize;
    // continue each row with a different token, then reorder so rows swap histories
    ids = ids.map((r, i) => [...r, 5 + i]);
    runner.reorder(Int32Array.from([1, 0, 2, 4, 3, 5]));
    ids = [ids[1], ids[0], ids[2], ids[4], ids[3], ids[5]];
    const k = 6;
    const gather = ids.map((r) => [1, r[r.length - 1]]);
    const step = await runner.stepTopK(ids, k, gather);
    expect(step.top).toBeDefined();
    const whole = await runner.rescore();
    expect(whole).toHaveLength(rows * vocab);
    for (let r = 0; r < rows; r++) {
      const row = whole.subarray(r * vocab, (r + 1) * vocab);
      const best = topK(row, k);
      expect(Array.from(step.top!.ids.subarray(r * k, (r + 1) * k)).map(Number)).toEqual(Array.from(best.indices));
      expect(Array.from(step.top!.scores.subarray(r * k, (r + 1) * k))).toEqual(Array.from(best.values));
      gather[r].forEach((t, j) => expect(step.top!.gathered[r * step.top!.gatherWidth + j]).toBe(row[t]));
    }
    // the same step from whole rows, through a fresh runner fed the reordered histories directly
    const fresh = createDecoderRunner(
      { model, hiddenStates: encoded.hiddenStates, attentionMask: encoded.attentionMask, rowsPerInput: perInput },
      false,
    );
    const plain = await fresh.step(ids, "logprobs");
    plain.scores.forEach((v, i) => expect(Math.abs(v - whole[i])).toBeLessThan(1e-5));
  });

  it("refuses a reorder that moves a beam to another input", async () => {
    const encoded = await encodeBatch(model, loadReference().inputs.slice(0, 2));
    const runner = createDecoderRunner(
      { model, hiddenStates: encoded.hiddenStates, attentionMask: encoded.attentionMask, rowsPerInput: 2 },
      true,
    );
    await runner.step([[0], [0], [0], [0]]);
    expect(() => runner.reorder(Int32Array.from([0, 2, 1, 3]))).toThrow(/crossed inputs/);
  });
});

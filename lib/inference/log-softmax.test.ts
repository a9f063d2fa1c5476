import { describe, expect, it } from "vitest";
import { logSoftmaxRows } from "./log-softmax";

describe("logSoftmaxRows (onnxruntime LogSoftmax)", () => {
  it("gives each row's log-probabilities", async () => {
    const logits = Float32Array.from([1, 2, 3, 0, 0, Math.log(2)]);
    const out = await logSoftmaxRows(logits, 2, 3);
    const expected = [1, 2, 3].map((x) => x - Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)));
    expected.forEach((e, i) => expect(out[i]).toBeCloseTo(e, 6));
    expect(out[3]).toBeCloseTo(Math.log(0.25), 6);
    expect(out[5]).toBeCloseTo(Math.log(0.5), 6);
    expect(Array.from(logits)).toEqual([1, 2, 3, 0, 0, Math.fround(Math.log(2))]); // input untouched
  });

  it("handles a large vocabulary with a -Infinity entry", async () => {
    const vocab = 32128;
    const logits = new Float32Array(vocab).fill(0);
    logits[7] = -Infinity;
    const out = await logSoftmaxRows(logits, 1, vocab);
    expect(out[0]).toBeCloseTo(-Math.log(vocab - 1), 5);
    expect(out[7]).toBe(-Infinity);
  });
});

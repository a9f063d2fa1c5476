import { readFileSync } from "node:fs";
import path from "node:path";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  extendDecoderWithPast,
  GATHER_INDICES,
  GATHERED,
  LOGPROBS_OUTPUT,
  TOPK_INDICES,
  TOPK_K,
  TOPK_VALUES,
  type ExtendedDecoder,
} from "./decoder-graph";
import { logSoftmaxRows } from "./log-softmax";
import { topK } from "./logits-processors";
import { field, intField, tensorInfo, text } from "./onnx-proto";
import { sessionOptions } from "./session-cache";
import { SHIPPED_MODELS_DIR, STUDENT } from "./testing/fixtures";

const file = (f: string) => path.join(SHIPPED_MODELS_DIR, STUDENT, f);
const original = readFileSync(file("decoder_with_past_model.onnx"));

/** A ModelProto from GraphProto fields (opset 14). */
function model(graph: number[]): Uint8Array {
  return Uint8Array.from([...intField(1, 7), ...field(7, graph), ...field(8, [...field(1, []), ...intField(2, 14)])]);
}
const node = (op: string, ins: string[], outs: string[]) =>
  field(1, [
    ...ins.flatMap((n) => field(1, text(n))),
    ...outs.flatMap((n) => field(2, text(n))),
    ...field(4, text(op)),
  ]);

describe("extendDecoderWithPast on the shipped student", () => {
  let extended: ExtendedDecoder;
  let plain: ort.InferenceSession;
  let session: ort.InferenceSession;

  beforeAll(async () => {
    extended = extendDecoderWithPast(original);
    [plain, session] = await Promise.all([
      ort.InferenceSession.create(file("decoder_with_past_model.onnx"), sessionOptions()),
      ort.InferenceSession.create(extended.bytes, sessionOptions()),
    ]);
  });
  afterAll(async () => {
    await Promise.all([plain.release(), session.release()]);
  });

  it("finds the new key and value of every layer and adds the log-probability outputs", () => {
    expect(extended.logprobs).toBe(true);
    const layers = plain.inputNames.filter((n) => /^past_key_values\.\d+\.decoder\.key$/.test(n)).length;
    expect(layers).toBeGreaterThan(0);
    expect(extended.newKeyValues).toHaveLength(layers);
    for (const name of [LOGPROBS_OUTPUT, TOPK_VALUES, TOPK_INDICES, GATHERED, ...extended.newKeyValues!.flat()]) {
      expect(session.outputNames).toContain(name);
    }
    expect(session.inputNames).toEqual([...plain.inputNames, TOPK_K, GATHER_INDICES]);
  });

  it("gives the export's own outputs unchanged, and new outputs that agree with them", async () => {
    // One with-past step over a two-row batch with a three-position past of made-up values
    const rows = 2;
    const past = 3;
    const feeds: Record<string, ort.Tensor> = {};
    for (const meta of plain.inputMetadata) {
      if (!meta.isTensor) continue;
      if (meta.name === "input_ids") feeds[meta.name] = new ort.Tensor("int64", BigInt64Array.of(5n, 9n), [rows, 1]);
      else if (meta.name === "encoder_attention_mask")
        feeds[meta.name] = new ort.Tensor("int64", new BigInt64Array(rows * 4).fill(1n), [rows, 4]);
      else {
        const dims = meta.shape.map((d, i) =>
          typeof d === "number" ? d : [rows, 0, meta.name.includes("encoder") ? 4 : past, 0][i],
        );
        const size = dims.reduce((a, b) => a * b, 1);
        feeds[meta.name] = new ort.Tensor(
          "float32",
          Float32Array.from({ length: size }, (_, j) => Math.sin(j * 0.37 + meta.name.length)),
          dims,
        );
      }
    }
    const k = 7;
    const gather = BigInt64Array.of(1n, 4n, 0n, 2n);
    const mine = {
      ...feeds,
      [TOPK_K]: new ort.Tensor("int64", BigInt64Array.of(BigInt(k)), [1]),
      [GATHER_INDICES]: new ort.Tensor("int64", gather, [rows, 1, 2]),
    };
    const [a, b] = await Promise.all([plain.run(feeds), session.run(mine)]);
    for (const name of plain.outputNames)
      expect(Array.from(b[name].data as Float32Array)).toEqual(Array.from(a[name].data as Float32Array));

    const vocab = a.logits.dims[2];
    const logprobs = await logSoftmaxRows(a.logits.data as Float32Array, rows, vocab);
    const got = b[LOGPROBS_OUTPUT].data as Float32Array;
    got.forEach((v, i) => expect(Math.abs(v - logprobs[i])).toBeLessThan(1e-6));
    for (let r = 0; r < rows; r++) {
      const best = topK(got.subarray(r * vocab, (r + 1) * vocab), k);
      expect(
        Array.from(b[TOPK_INDICES].data as BigInt64Array)
          .slice(r * k, (r + 1) * k)
          .map(Number),
      ).toEqual(Array.from(best.indices));
      expect(Array.from(b[TOPK_VALUES].data as Float32Array).slice(r * k, (r + 1) * k)).toEqual(
        Array.from(best.values),
      );
      for (let j = 0; j < 2; j++)
        expect((b[GATHERED].data as Float32Array)[r * 2 + j]).toBe(got[r * vocab + Number(gather[r * 2 + j])]);
    }
    // the new position is the last one of the present cache
    extended.newKeyValues!.forEach(([key, value], i) => {
      for (const [fresh, present] of [
        [key, `present.${i}.decoder.key`],
        [value, `present.${i}.decoder.value`],
      ]) {
        const [n, heads, len, size] = a[present].dims;
        expect(b[fresh].dims).toEqual([n, heads, 1, size]);
        const all = a[present].data as Float32Array;
        const last = b[fresh].data as Float32Array;
        for (let blk = 0; blk < n * heads; blk++) {
          expect(Array.from(last.subarray(blk * size, (blk + 1) * size))).toEqual(
            Array.from(all.subarray((blk * len + len - 1) * size, (blk * len + len) * size)),
          );
        }
      }
    });
  });
});

describe("extendDecoderWithPast on other graphs", () => {
  const logitsOut = field(12, tensorInfo("logits"));

  it("leaves a graph without logits alone", () => {
    const bytes = model([...node("Relu", ["x"], ["y"]), ...field(11, tensorInfo("x")), ...field(12, tensorInfo("y"))]);
    const out = extendDecoderWithPast(bytes);
    expect(out).toEqual({ bytes, logprobs: false, newKeyValues: null });
  });

  it("adds log-probabilities but no new-position outputs when the present is not a Concat of the past", () => {
    const bytes = model([
      ...node("Identity", ["past_key_values.0.decoder.key"], ["present.0.decoder.key"]),
      ...node("Identity", ["past_key_values.0.decoder.value"], ["present.0.decoder.value"]),
      ...node("Relu", ["x"], ["logits"]),
      ...field(11, tensorInfo("x")),
      ...field(11, tensorInfo("past_key_values.0.decoder.key")),
      ...field(11, tensorInfo("past_key_values.0.decoder.value")),
      ...logitsOut,
    ]);
    const out = extendDecoderWithPast(bytes);
    expect(out.logprobs).toBe(true);
    expect(out.newKeyValues).toBeNull();
    expect(out.bytes.length).toBeGreaterThan(bytes.length);
  });

  it("leaves a model with external weights alone (they could not be found from a buffer)", () => {
    const external = field(5, [...field(8, text("w")), ...intField(2, 1), ...intField(14, 1)]); // data_location EXTERNAL
    const bytes = model([...node("Relu", ["x"], ["logits"]), ...external, ...field(11, tensorInfo("x")), ...logitsOut]);
    expect(extendDecoderWithPast(bytes)).toEqual({ bytes, logprobs: false, newKeyValues: null });
  });

  it("does not add its outputs twice", () => {
    const once = extendDecoderWithPast(original);
    const twice = extendDecoderWithPast(once.bytes);
    expect(twice.logprobs).toBe(false);
    expect(Array.from(twice.bytes)).toEqual(Array.from(once.bytes));
  });
});

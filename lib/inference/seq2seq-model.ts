import { readFile } from "node:fs/promises";
import path from "node:path";
import { Tokenizer } from "@huggingface/tokenizers";
import * as ort from "onnxruntime-node";
import { ValidationError } from "../errors";
import { extendDecoderWithPast, type ExtendedDecoder } from "./decoder-graph";
import type { ModelInfo } from "./discover-models";
import { getSession } from "./session-cache";

/** A model folder loaded for generation: tokenizer and the sessions of its ONNX files. */
export type LoadedModel = {
  info: ModelInfo;
  tokenizer: Tokenizer;
  encoder: ort.InferenceSession;
  decoder: ort.InferenceSession;
  decoderWithPast: ort.InferenceSession | null;
  /** What decoderWithPast offers beyond the export's own outputs (see decoder-graph.ts). */
  withPastOutputs: Omit<ExtendedDecoder, "bytes">;
};

export type EncodedBatch = {
  /** Token ids per input, prefix and EOS included, unpadded. */
  inputIds: number[][];
  /** (batch, seq) int64, right-padded with pad_token_id. */
  attentionMask: ort.Tensor;
  /** (batch, seq, d_model) float32. */
  hiddenStates: ort.Tensor;
};

const loaded = new Map<string, Promise<LoadedModel>>();

async function load(info: ModelInfo): Promise<LoadedModel> {
  const file = (f: string) => path.join(info.path, f);
  const [tokenizerJson, tokenizerConfig] = await Promise.all(
    ["tokenizer.json", "tokenizer_config.json"].map(async (f) => JSON.parse(await readFile(file(f), "utf8")) as object),
  );
  if (!info.hasPlainDecoder) {
    throw new Error(
      `${info.name}: only decoder_model_merged.onnx is present; the runner needs decoder_model.onnx ` +
        "(and decoder_with_past_model.onnx for the cache): export with optimum-cli --no-post-process",
    );
  }
  const withPast =
    info.hasKvCache && !info.hasMergedDecoder
      ? extendDecoderWithPast(await readFile(file("decoder_with_past_model.onnx")))
      : null;
  const [encoder, decoder, decoderWithPast] = await Promise.all([
    getSession(file("encoder_model.onnx")),
    getSession(file("decoder_model.onnx")),
    // An unchanged model loads from its path, so that external weight files next to it are found
    withPast
      ? getSession(
          file("decoder_with_past_model.onnx"),
          withPast.logprobs || withPast.newKeyValues ? withPast.bytes : undefined,
        )
      : Promise.resolve(null),
  ]);
  const withPastOutputs = { logprobs: withPast?.logprobs ?? false, newKeyValues: withPast?.newKeyValues ?? null };
  return {
    info,
    tokenizer: new Tokenizer(tokenizerJson, tokenizerConfig),
    encoder,
    decoder,
    decoderWithPast,
    withPastOutputs,
  };
}

/** Loads a model once per folder and returns the same object afterwards. */
export function loadModel(info: ModelInfo): Promise<LoadedModel> {
  let model = loaded.get(info.path);
  if (!model) {
    model = load(info);
    model.catch(() => loaded.delete(info.path));
    loaded.set(info.path, model);
  }
  return model;
}

export function forgetLoadedModels(): void {
  loaded.clear();
}

export function int64Tensor(rows: number[][], pad: number): ort.Tensor {
  const width = Math.max(...rows.map((r) => r.length));
  const data = new BigInt64Array(rows.length * width).fill(BigInt(pad));
  rows.forEach((r, i) => r.forEach((t, j) => (data[i * width + j] = BigInt(t))));
  return new ort.Tensor("int64", data, [rows.length, width]);
}

/** Repeats every row of a tensor `times` times in place order (torch.repeat_interleave on dim 0). */
export function repeatRows(t: ort.Tensor, times: number): ort.Tensor {
  if (times === 1) return t;
  const rows = t.dims[0];
  const rowSize = t.size / rows;
  const src = t.data as Float32Array | BigInt64Array;
  const out = new (src.constructor as Float32ArrayConstructor | BigInt64ArrayConstructor)(t.size * times);
  for (let r = 0; r < rows; r++) {
    const row = src.subarray(r * rowSize, (r + 1) * rowSize);
    for (let k = 0; k < times; k++) (out as Float32Array).set(row as Float32Array, (r * times + k) * rowSize);
  }
  return new ort.Tensor(t.type as "float32", out as Float32Array, [rows * times, ...t.dims.slice(1)]);
}

/** Tokenizes (with the task prefix) and runs the encoder once for the whole batch. */
export async function encodeBatch(model: LoadedModel, texts: string[]): Promise<EncodedBatch> {
  const inputIds = texts.map((t) => model.tokenizer.encode(model.info.taskPrefix + t).ids);
  const limit = model.info.maxPositionEmbeddings;
  const longest = Math.max(...inputIds.map((ids) => ids.length));
  if (limit !== null && longest > limit) {
    throw new ValidationError(`an input is ${longest} tokens long; ${model.info.name} reads at most ${limit}`);
  }
  const ids = int64Tensor(inputIds, model.info.padTokenId);
  const width = ids.dims[1];
  const mask = new BigInt64Array(ids.size);
  inputIds.forEach((r, i) => mask.fill(1n, i * width, i * width + r.length));
  const attentionMask = new ort.Tensor("int64", mask, ids.dims);
  const feeds: Record<string, ort.Tensor> = { input_ids: ids, attention_mask: attentionMask };
  const out = await model.encoder.run(pick(feeds, model.encoder.inputNames));
  return { inputIds, attentionMask, hiddenStates: out[model.encoder.outputNames[0]] };
}

/** The feeds a session declares, failing clearly when one is missing. */
export function pick(feeds: Record<string, ort.Tensor>, names: readonly string[]): Record<string, ort.Tensor> {
  const out: Record<string, ort.Tensor> = {};
  for (const name of names) {
    const t = feeds[name];
    if (!t) throw new Error(`ONNX input "${name}" is not supported by the runner`);
    out[name] = t;
  }
  return out;
}

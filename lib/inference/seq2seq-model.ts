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
  /** The first decoder step: decoder_model.onnx, or the merged decoder (use_cache_branch false). */
  decoder: ort.InferenceSession;
  /** The cached steps: decoder_with_past_model.onnx, or the merged decoder (use_cache_branch true); null without a cache. */
  decoderWithPast: ort.InferenceSession | null;
  /** Every step without the cache (useCache: false). */
  noCacheDecoder: ort.InferenceSession;
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

/** Opens an ONNX file as a session; `bytes`, when given, is that file's model as rewritten in memory. */
export type SessionOpener = (file: string, bytes?: Uint8Array) => Promise<ort.InferenceSession>;

/**
 * Loads a model with sessions from `open` (the process-wide cache by default; choose-decoder.ts
 * passes its own, released after measuring, so that a scan keeps nothing in memory).
 */
export async function openModel(info: ModelInfo, open: SessionOpener = getSession): Promise<LoadedModel> {
  const json = (f: string) => path.join(info.path, f);
  const onnx = (f: string) => path.join(info.onnxPath, f);
  const [tokenizerJson, tokenizerConfig] = await Promise.all(
    ["tokenizer.json", "tokenizer_config.json"].map(
      async (f) => JSON.parse(await readFile(/*turbopackIgnore: true*/ json(f), "utf8")) as object,
    ),
  );
  const { plan } = info;
  // The graph additions need the with-past decoder's own Concat nodes: the merged decoder keeps
  // them inside its If branches, so it runs as exported
  const withPast =
    plan.withPast && plan.withPast !== info.files.merged
      ? extendDecoderWithPast(await readFile(onnx(plan.withPast)))
      : null;
  const [encoder, decoder, decoderWithPast, noCacheDecoder] = await Promise.all([
    open(onnx(info.files.encoder!)),
    open(onnx(plan.first)),
    // An unchanged model loads from its path, so that external weight files next to it are found
    plan.withPast
      ? open(onnx(plan.withPast), withPast && (withPast.logprobs || withPast.newKeyValues) ? withPast.bytes : undefined)
      : Promise.resolve(null),
    open(onnx(plan.noCache)),
  ]);
  const withPastOutputs = { logprobs: withPast?.logprobs ?? false, newKeyValues: withPast?.newKeyValues ?? null };
  return {
    info,
    tokenizer: new Tokenizer(tokenizerJson, tokenizerConfig),
    encoder,
    decoder,
    decoderWithPast,
    noCacheDecoder,
    withPastOutputs,
  };
}

/** Loads a model once per folder and returns the same object afterwards. */
export function loadModel(info: ModelInfo): Promise<LoadedModel> {
  // The plan is part of the key: a new scan may choose the other cached decoder
  const key = `${info.path}\0${info.name}\0${info.plan.first}\0${info.plan.withPast}`;
  let model = loaded.get(key);
  if (!model) {
    model = openModel(info);
    model.catch(() => loaded.delete(key));
    loaded.set(key, model);
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

/** Whether a session is a merged decoder (optimum's decoder_model_merged.onnx). */
export function isMerged(session: ort.InferenceSession): boolean {
  return session.inputNames.includes("use_cache_branch");
}

/**
 * The extra feeds of a merged decoder: use_cache_branch, and on the first step (false) every
 * past input empty (0 positions), which that branch does not read but onnxruntime requires.
 */
export function mergedFeeds(
  session: ort.InferenceSession,
  rows: number,
  useCache: boolean,
): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {
    use_cache_branch: new ort.Tensor("bool", Uint8Array.of(useCache ? 1 : 0), [1]),
  };
  if (useCache) return feeds;
  for (const meta of session.inputMetadata) {
    if (!meta.name.startsWith("past_key_values.")) continue;
    const shape = meta.isTensor ? meta.shape : [];
    const heads = shape[1];
    const size = shape[3];
    if (typeof heads !== "number" || typeof size !== "number")
      throw new Error(`${meta.name}: the merged decoder does not declare its number of heads and head size`);
    feeds[meta.name] = new ort.Tensor("float32", new Float32Array(0), [rows, heads, 0, size]);
  }
  return feeds;
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

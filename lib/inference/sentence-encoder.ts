import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Tokenizer } from "@huggingface/tokenizers";
import * as ort from "onnxruntime-node";
import { env } from "../env";
import { getSession } from "./session-cache";

/**
 * A sentence-transformers model exported for feature extraction
 * (`optimum-cli export onnx --task feature-extraction`): model.onnx (input_ids, attention_mask,
 * token_type_ids -> last_hidden_state) at the top or under onnx/, tokenizer.json, config.json, and
 * sentence-transformers' own modules.json, 1_Pooling/config.json and sentence_bert_config.json,
 * which say how token vectors become one sentence vector.
 */
export type SentenceEncoderInfo = {
  name: string;
  path: string;
  onnxFile: string;
  /** Pooling modes in sentence-transformers' concatenation order. */
  pooling: PoolingMode[];
  normalize: boolean;
  maxSeqLength: number;
  /** folder + a hash of the ONNX file: stored vectors never mix two versions of a folder. */
  key: string;
};
export type PoolingMode = "cls" | "max" | "mean" | "mean_sqrt_len";

type Json = Record<string, unknown>;
const readJson = (file: string): Json => JSON.parse(readFileSync(/*turbopackIgnore: true*/ file, "utf8")) as Json;

function onnxFileIn(dir: string): string | null {
  for (const f of ["model.onnx", "onnx/model.onnx"])
    if (existsSync(path.join(/*turbopackIgnore: true*/ dir, f))) return f;
  return null;
}

/** A folder that holds a feature-extraction export (and no seq2seq files): not a generation system. */
export function isSentenceEncoderFolder(dir: string, files: readonly string[]): boolean {
  return (
    files.includes("modules.json") || (onnxFileIn(dir) !== null && !files.some((f) => f.startsWith("encoder_model")))
  );
}

const MODE_NAMES: Record<string, PoolingMode> = {
  cls: "cls",
  max: "max",
  mean: "mean",
  mean_sqrt_len: "mean_sqrt_len",
  mean_sqrt_len_tokens: "mean_sqrt_len",
};

/**
 * What 1_Pooling/config.json asks for: sentence-transformers 6 writes `pooling_mode` (a name or a
 * list, concatenated in that order), earlier versions one `pooling_mode_*` boolean per mode
 * (concatenated cls, max, mean, mean_sqrt_len). Mean pooling when the folder says nothing.
 */
export function poolingModes(config: Json): PoolingMode[] {
  const named = config.pooling_mode;
  const asked: string[] =
    typeof named === "string"
      ? [named]
      : Array.isArray(named)
        ? named.map(String)
        : [
            ["pooling_mode_cls_token", "cls"],
            ["pooling_mode_max_tokens", "max"],
            ["pooling_mode_mean_tokens", "mean"],
            ["pooling_mode_mean_sqrt_len_tokens", "mean_sqrt_len"],
            ["pooling_mode_weightedmean_tokens", "weightedmean"],
            ["pooling_mode_lasttoken", "lasttoken"],
          ]
            .filter(([key]) => config[key])
            .map(([, mode]) => mode);
  const other = asked.filter((m) => !MODE_NAMES[m]);
  if (other.length > 0)
    throw new Error(`pooling ${other.join(", ")} is not supported (cls, max, mean, mean_sqrt_len are)`);
  return asked.length > 0 ? asked.map((m) => MODE_NAMES[m]) : ["mean"];
}

/**
 * Reads a sentence encoder folder under dir (MODELS_DIR by default); throws saying what is missing.
 * Synchronous, once per process: callers need the model key (which hashes the ONNX file) at once.
 */
export function describeSentenceEncoder(
  name: string,
  dir: string = path.resolve(env().MODELS_DIR),
): SentenceEncoderInfo {
  const folder = path.join(dir, name);
  if (path.basename(name) !== name || name.startsWith(".") || !existsSync(/*turbopackIgnore: true*/ folder))
    throw new Error(`no model folder ${name} in ${dir}`);
  const onnxFile = onnxFileIn(folder);
  const missing = [
    onnxFile ? null : "model.onnx",
    ...["tokenizer.json", "config.json"].filter((f) => !existsSync(path.join(/*turbopackIgnore: true*/ folder, f))),
  ];
  if (missing.some(Boolean))
    throw new Error(
      `${folder} lacks ${missing.filter(Boolean).join(", ")} (export with optimum-cli export onnx --task feature-extraction)`,
    );
  const modulesPath = path.join(folder, "modules.json");
  const modules = existsSync(modulesPath) ? (readJson(modulesPath) as unknown as { type: string; path: string }[]) : [];
  const unsupported = modules.filter((m) => !/\.(Transformer|Pooling|Normalize)$/.test(m.type));
  if (unsupported.length > 0)
    throw new Error(
      `${folder}: modules ${unsupported.map((m) => m.type).join(", ")} are not run (Transformer, Pooling, Normalize are)`,
    );
  const poolingDir = modules.find((m) => m.type.endsWith(".Pooling"))?.path ?? "1_Pooling";
  const poolingPath = path.join(folder, poolingDir, "config.json");
  const pooling = poolingModes(existsSync(poolingPath) ? readJson(poolingPath) : {});
  const stConfigPath = path.join(folder, "sentence_bert_config.json");
  const stConfig = existsSync(stConfigPath) ? readJson(stConfigPath) : {};
  const config = readJson(path.join(folder, "config.json"));
  const tokenizerConfigPath = path.join(folder, "tokenizer_config.json");
  const tokenizerConfig = existsSync(tokenizerConfigPath) ? readJson(tokenizerConfigPath) : {};
  // sentence-transformers up to 5 keep the limit in sentence_bert_config.json, 6 in the tokenizer's
  // model_max_length (which some tokenizers set to 1e30: the position table caps it)
  const positions = Number(config.max_position_embeddings ?? 512);
  const maxSeqLength = Math.min(
    Number(stConfig.max_seq_length ?? tokenizerConfig.model_max_length ?? positions),
    positions,
  );
  const hash = createHash("sha256")
    .update(readFileSync(path.join(/*turbopackIgnore: true*/ folder, onnxFile!)))
    .digest("hex")
    .slice(0, 12);
  return {
    name,
    path: folder,
    onnxFile: onnxFile!,
    pooling,
    normalize: modules.some((m) => m.type.endsWith(".Normalize")),
    maxSeqLength,
    key: `onnx:${name}@${hash}`,
  };
}

export type SentenceEncoder = { info: SentenceEncoderInfo; embed(texts: readonly string[]): Promise<Float32Array[]> };

/** Pools one text's token vectors (hidden: seq x dim, row-major) over its real tokens. */
export function pool(
  hidden: Float32Array,
  tokens: number,
  dim: number,
  modes: readonly PoolingMode[],
  normalize: boolean,
): Float32Array {
  const parts: Float32Array[] = [];
  for (const mode of modes) {
    const out = new Float32Array(dim);
    if (mode === "cls") out.set(hidden.subarray(0, dim));
    else if (mode === "max") {
      out.fill(-Infinity);
      for (let t = 0; t < tokens; t++) for (let d = 0; d < dim; d++) out[d] = Math.max(out[d], hidden[t * dim + d]);
    } else {
      for (let t = 0; t < tokens; t++) for (let d = 0; d < dim; d++) out[d] += hidden[t * dim + d];
      const by = mode === "mean" ? Math.max(tokens, 1e-9) : Math.sqrt(Math.max(tokens, 1e-9));
      for (let d = 0; d < dim; d++) out[d] /= by;
    }
    parts.push(out);
  }
  const v = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (v.set(p, at), at + p.length), 0);
  if (normalize) {
    // sentence-transformers' Normalize: torch.nn.functional.normalize, eps 1e-12
    const norm = Math.max(Math.hypot(...v), 1e-12);
    for (let d = 0; d < v.length; d++) v[d] /= norm;
  }
  return v;
}

/** Loads the folder's tokenizer and ONNX session; embed() tokenizes, pads per batch, runs and pools. */
export async function loadSentenceEncoder(info: SentenceEncoderInfo): Promise<SentenceEncoder> {
  const tokenizerConfigPath = path.join(info.path, "tokenizer_config.json");
  const tokenizer = new Tokenizer(
    readJson(path.join(info.path, "tokenizer.json")),
    existsSync(tokenizerConfigPath) ? readJson(tokenizerConfigPath) : {},
  );
  const session = await getSession(path.join(info.path, info.onnxFile));
  const output = session.outputNames.includes("token_embeddings")
    ? "token_embeddings"
    : session.outputNames.includes("last_hidden_state")
      ? "last_hidden_state"
      : session.outputNames[0];
  return {
    info,
    async embed(texts) {
      if (texts.length === 0) return [];
      const ids = texts.map((t) => tokenizer.encode(t).ids.slice(0, info.maxSeqLength));
      const seq = Math.max(...ids.map((r) => r.length), 1);
      const inputIds = new BigInt64Array(texts.length * seq);
      const mask = new BigInt64Array(texts.length * seq);
      ids.forEach((row, b) => row.forEach((id, t) => ((inputIds[b * seq + t] = BigInt(id)), (mask[b * seq + t] = 1n))));
      const shape = [texts.length, seq];
      const feeds: Record<string, ort.Tensor> = {
        input_ids: new ort.Tensor("int64", inputIds, shape),
        attention_mask: new ort.Tensor("int64", mask, shape),
        token_type_ids: new ort.Tensor("int64", new BigInt64Array(texts.length * seq), shape),
      };
      const result = await session.run(Object.fromEntries(session.inputNames.map((n) => [n, feeds[n]])), [output]);
      const hidden = result[output];
      const dim = hidden.dims[2];
      const data = hidden.data as Float32Array;
      return ids.map((row, b) =>
        pool(data.subarray(b * seq * dim, (b + 1) * seq * dim), row.length, dim, info.pooling, info.normalize),
      );
    },
  };
}

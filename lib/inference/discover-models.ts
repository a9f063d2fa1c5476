import { existsSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { env } from "../env";
import { countOnnxParameters } from "./onnx-initializers";

/** Files of an Optimum seq2seq export (`optimum-cli export onnx --task text2text-generation-with-past`). */
export const REQUIRED_FILES = [
  "config.json",
  "generation_config.json",
  "tokenizer.json",
  "tokenizer_config.json",
  "encoder_model.onnx",
] as const;
export const DECODER_FILES = [
  "decoder_model.onnx",
  "decoder_with_past_model.onnx",
  "decoder_model_merged.onnx",
] as const;

export type ModelInfo = {
  name: string;
  path: string;
  kind: string;
  modelType: string;
  parameterCount: number;
  /** "manifest" is exact; "onnx-initializers" may count tied weights (embeddings) twice. */
  parameterCountSource: "manifest" | "onnx-initializers";
  sizeOnDiskBytes: number;
  hasKvCache: boolean;
  /** decoder_model.onnx is present: generation works without the cache. */
  hasPlainDecoder: boolean;
  hasMergedDecoder: boolean;
  taskPrefix: string;
  decoderStartTokenId: number;
  eosTokenId: number;
  padTokenId: number;
  numDecoderLayers: number;
  vocabSize: number;
  /** Learned position limit (inputs and outputs), or null for relative positions (T5). */
  maxPositionEmbeddings: number | null;
};

export type IncompleteModel = { name: string; path: string; missing: string[] };
export type DiscoveryResult = { models: ModelInfo[]; incomplete: IncompleteModel[] };

/** The models directory: MODELS_DIR (relative to the working directory) or <cwd>/models. */
export function defaultModelsDir(): string {
  return path.resolve(env().MODELS_DIR);
}

type Json = Record<string, unknown>;
const readJson = async (file: string): Promise<Json> => JSON.parse(await readFile(file, "utf8")) as Json;
const num = (v: unknown, fallback: number): number => (typeof v === "number" ? v : fallback);

function missingFiles(dir: string): string[] {
  const missing: string[] = REQUIRED_FILES.filter((f) => !existsSync(path.join(dir, f)));
  const has = (f: string) => existsSync(path.join(dir, f));
  if (!has("decoder_model.onnx") && !has("decoder_model_merged.onnx")) {
    // decoder_with_past alone cannot take the first step: it needs the cross-attention cache
    missing.push("decoder_model.onnx (or decoder_model_merged.onnx)");
  }
  return missing;
}

async function folderSize(dir: string): Promise<number> {
  const entries = await readdir(dir, { withFileTypes: true });
  const sizes = await Promise.all(
    entries.map((e) =>
      e.isDirectory() ? folderSize(path.join(dir, e.name)) : stat(path.join(dir, e.name)).then((s) => s.size),
    ),
  );
  return sizes.reduce((a, b) => a + b, 0);
}

function taskPrefix(config: Json): string {
  const tsp = config.task_specific_params as Record<string, { prefix?: string }> | undefined;
  return tsp?.paraphrase?.prefix ?? (typeof config.prefix === "string" ? config.prefix : "");
}

/** Reads one model folder; throws only when a present file is unreadable. */
export async function describeModel(dir: string): Promise<ModelInfo> {
  const config = await readJson(path.join(dir, "config.json"));
  const gen = await readJson(path.join(dir, "generation_config.json"));
  const manifestPath = path.join(dir, "manifest.json");
  const manifest = existsSync(manifestPath) ? await readJson(manifestPath) : {};
  const has = (f: string) => existsSync(path.join(dir, f));
  let parameterCount = num(manifest.parameterCount, -1);
  const fromManifest = parameterCount >= 0;
  if (!fromManifest) {
    const decoder = ["decoder_model_merged.onnx", "decoder_model.onnx"].find(has) ?? "decoder_with_past_model.onnx";
    const counts = await Promise.all(
      ["encoder_model.onnx", decoder].map((f) => countOnnxParameters(path.join(dir, f))),
    );
    parameterCount = counts[0] + counts[1];
  }
  const pad = num(gen.pad_token_id, num(config.pad_token_id, 0));
  return {
    name: path.basename(dir),
    path: dir,
    kind: typeof manifest.kind === "string" ? manifest.kind : "student",
    modelType: String(config.model_type ?? "unknown"),
    parameterCount,
    parameterCountSource: fromManifest ? "manifest" : "onnx-initializers",
    sizeOnDiskBytes: await folderSize(dir),
    hasKvCache: has("decoder_with_past_model.onnx") || has("decoder_model_merged.onnx"),
    hasPlainDecoder: has("decoder_model.onnx"),
    hasMergedDecoder: has("decoder_model_merged.onnx"),
    taskPrefix: taskPrefix(config),
    decoderStartTokenId: num(gen.decoder_start_token_id, num(config.decoder_start_token_id, pad)),
    eosTokenId: num(gen.eos_token_id, num(config.eos_token_id, 1)),
    padTokenId: pad,
    numDecoderLayers: num(config.num_decoder_layers, num(config.decoder_layers, num(config.num_layers, 0))),
    vocabSize: num(config.vocab_size, 0),
    maxPositionEmbeddings:
      num(config.max_position_embeddings, num(config.n_positions, -1)) > 0
        ? num(config.max_position_embeddings, num(config.n_positions, -1))
        : null,
  };
}

/** Lists the model folders under dir: complete Optimum seq2seq exports, and incomplete ones with what they lack. */
export async function discoverModels(dir: string = defaultModelsDir()): Promise<DiscoveryResult> {
  const result: DiscoveryResult = { models: [], incomplete: [] };
  if (!existsSync(dir)) return result;
  const entries = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const folder = path.join(dir, entry.name);
    const files = await readdir(folder);
    // Only folders that look like a model export at all; train-student/ and the like are skipped
    if (!files.some((f) => f.endsWith(".onnx") || f === "config.json")) continue;
    const missing = missingFiles(folder);
    if (missing.length > 0) result.incomplete.push({ name: entry.name, path: folder, missing });
    else result.models.push(await describeModel(folder));
  }
  return result;
}

/** The named complete model, or null. */
export async function findModel(name: string, dir: string = defaultModelsDir()): Promise<ModelInfo | null> {
  const folder = path.join(dir, name);
  if (path.basename(name) !== name || !existsSync(folder) || missingFiles(folder).length > 0) return null;
  return describeModel(folder);
}

import { existsSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { env } from "../env";
import { generationDefaults, type GenerationDefaults } from "./generation-config";
import {
  candidatesIn,
  emptyCandidate,
  mergedPlanFor,
  missingFiles,
  planFor,
  REQUIRED_FILES,
  UNSUPPORTED,
  type Candidate,
  type DecodePlan,
  type ModelFiles,
} from "./model-layout";
import { chooseCachedDecoder, describeChoice, type DecoderChoice } from "./choose-decoder";
import { countParameters } from "./count-parameters";
import { isSentenceEncoderFolder } from "./sentence-encoder";

export { REQUIRED_FILES } from "./model-layout";
export type { DecodePlan, ModelFiles } from "./model-layout";
export type { DecoderChoice } from "./choose-decoder";

export type ModelInfo = {
  /** The system's name: the folder, plus " (int8)" for a folder's quantized files. */
  name: string;
  folder: string;
  /** The model folder (JSON files). */
  path: string;
  /** Where the ONNX files are: the folder, or its onnx/ subfolder (transformers.js). */
  onnxPath: string;
  layout: "optimum" | "transformers.js";
  kind: string;
  modelType: string;
  /** The ONNX files present for this system, by role (names relative to onnxPath). */
  files: ModelFiles;
  plan: DecodePlan;
  /** Files that run (ONNX files of the plan with the cache and their external data, then the JSON files the runner reads). */
  runFiles: string[];
  precision: "fp32" | "fp16" | "int8" | "mixed";
  parameterCount: number;
  /** Of which stored as 8-bit integers. */
  int8ParameterCount: number;
  /** "manifest" is the exporter's own count; "onnx-initializers" counts each weight once over the files that run. */
  parameterCountSource: "manifest" | "onnx-initializers";
  /** Bytes of runFiles. */
  sizeOnDiskBytes: number;
  hasKvCache: boolean;
  /** Where the cache comes from. */
  cacheSource: "decoder_with_past" | "merged" | null;
  /** decoder_model.onnx is present. */
  hasPlainDecoder: boolean;
  hasMergedDecoder: boolean;
  /** With both cached decoders present: which one runs, measured faster (else null). */
  decoderChoice: DecoderChoice | null;
  /** One line saying what runs: files, precision, cache. */
  description: string;
  taskPrefix: string;
  decoderStartTokenId: number;
  /** The first of eosTokenIds: what ends a returned sequence. */
  eosTokenId: number;
  eosTokenIds: number[];
  padTokenId: number;
  forcedBosTokenId: number | null;
  forcedEosTokenId: number | null;
  /** Decoding settings generation_config.json sets (applied where the caller sets nothing). */
  generationDefaults: GenerationDefaults;
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
const numOrNull = (v: unknown): number | null => (typeof v === "number" ? v : null);

function taskPrefix(config: Json): string {
  const tsp = config.task_specific_params as Record<string, { prefix?: string }> | undefined;
  return tsp?.paraphrase?.prefix ?? (typeof config.prefix === "string" ? config.prefix : "");
}

function eosList(gen: Json, config: Json): number[] {
  const raw = gen.eos_token_id ?? config.eos_token_id ?? 1;
  const list = (Array.isArray(raw) ? raw : [raw]).filter((v): v is number => typeof v === "number");
  return list.length > 0 ? list : [1];
}

/**
 * The system a candidate is. A folder with both cached decoders (optimum-cli's default export)
 * runs the one measured faster (choose-decoder.ts): its description says which and why.
 */
async function describe(c: Candidate): Promise<ModelInfo> {
  const split = await describeWith(c, planFor(c.files), null);
  if (!c.files.decoderWithPast || !c.files.merged) return split;
  const mergedPlan = mergedPlanFor(c.files);
  const choice = await chooseCachedDecoder(split, await describeWith(c, mergedPlan, null));
  return describeWith(c, choice.decoder === "merged" ? mergedPlan : split.plan, choice);
}

async function describeWith(c: Candidate, plan: DecodePlan, choice: DecoderChoice | null): Promise<ModelInfo> {
  const config = await readJson(path.join(c.dir, "config.json"));
  const gen = await readJson(path.join(c.dir, "generation_config.json"));
  const manifestPath = path.join(c.dir, "manifest.json");
  const manifest = existsSync(manifestPath) ? await readJson(manifestPath) : {};
  const onnx = [...new Set([c.files.encoder!, plan.first, ...(plan.withPast ? [plan.withPast] : [])])];
  const withData = onnx.flatMap((f) =>
    [f, `${f}_data`, `${f}.data`].filter((g) => existsSync(path.join(c.onnxDir, g))),
  );
  const rel = (f: string) => path.relative(c.dir, path.join(c.onnxDir, f));
  const runFiles = [...withData.map(rel), ...REQUIRED_FILES];
  const sizes = await Promise.all(runFiles.map((f) => stat(path.join(c.dir, f)).then((s) => s.size)));
  const counted = await countParameters(onnx.map((f) => path.join(c.onnxDir, f)));
  const fromManifest = !c.suffix && counted.precision !== "int8" && typeof manifest.parameterCount === "number";
  const pad = num(gen.pad_token_id, num(config.pad_token_id, 0));
  const eosTokenIds = eosList(gen, config);
  const cacheSource = plan.withPast === null ? null : plan.withPast === c.files.merged ? "merged" : "decoder_with_past";
  const modelType = String(config.model_type ?? "unknown");
  const maxPositions = num(config.max_position_embeddings, num(config.n_positions, -1));
  const files = onnx.map(rel).join(" + ");
  const cache = [
    cacheSource === "merged"
      ? "key/value cache (merged decoder, use_cache_branch)"
      : cacheSource
        ? "key/value cache"
        : "no key/value cache (every step recomputes the prefix)",
    ...(choice ? [describeChoice(choice)] : []),
  ].join(", ");
  return {
    name: c.name,
    folder: c.folder,
    path: c.dir,
    onnxPath: c.onnxDir,
    layout: c.onnxDir === c.dir ? "optimum" : "transformers.js",
    kind: typeof manifest.kind === "string" ? manifest.kind : "student",
    modelType,
    files: c.files,
    plan,
    runFiles,
    precision: counted.precision,
    parameterCount: fromManifest ? (manifest.parameterCount as number) : counted.parameters,
    int8ParameterCount: counted.int8Parameters,
    parameterCountSource: fromManifest ? "manifest" : "onnx-initializers",
    sizeOnDiskBytes: sizes.reduce((a, b) => a + b, 0),
    hasKvCache: cacheSource !== null,
    cacheSource,
    hasPlainDecoder: c.files.decoder !== null,
    hasMergedDecoder: c.files.merged !== null,
    decoderChoice: choice,
    description: `${modelType} seq2seq ONNX export, ${counted.precision}: ${files}; ${cache}`,
    taskPrefix: taskPrefix(config),
    decoderStartTokenId: num(gen.decoder_start_token_id, num(config.decoder_start_token_id, pad)),
    eosTokenId: eosTokenIds[0],
    eosTokenIds,
    padTokenId: pad,
    forcedBosTokenId: numOrNull(gen.forced_bos_token_id ?? config.forced_bos_token_id),
    forcedEosTokenId: numOrNull(gen.forced_eos_token_id ?? config.forced_eos_token_id),
    generationDefaults: generationDefaults(gen),
    numDecoderLayers: num(config.num_decoder_layers, num(config.decoder_layers, num(config.num_layers, 0))),
    vocabSize: num(config.vocab_size, 0),
    maxPositionEmbeddings: maxPositions > 0 ? maxPositions : null,
  };
}

/** Reads one model folder's float (or only) system; throws only when a present file is unreadable. */
export async function describeModel(dir: string): Promise<ModelInfo> {
  const { candidates } = await candidatesIn(dir);
  const c = candidates.find((x) => x.suffix === "") ?? candidates[0];
  if (!c) throw new Error(`${dir} holds no encoder or decoder ONNX file`);
  return describe(c);
}

/**
 * Lists the systems in the model folders under dir: complete exports (one per precision), and
 * incomplete ones with what they lack.
 */
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
    if (!files.some((f) => f.endsWith(".onnx") || f === "config.json" || f === "onnx")) continue;
    // Sentence encoders (feature-extraction exports) embed texts; they are not generation systems
    if (isSentenceEncoderFolder(folder, files)) continue;
    const { candidates, unsupported } = await candidatesIn(folder);
    for (const [name, names] of unsupported) {
      result.incomplete.push({ name, path: folder, missing: [`${names.join(", ")}: ${UNSUPPORTED}`] });
    }
    if (candidates.length === 0) {
      result.incomplete.push({
        name: entry.name,
        path: folder,
        missing: [...missingFiles({ ...emptyCandidate(entry.name, folder) })],
      });
      continue;
    }
    for (const c of candidates) {
      const missing = missingFiles(c);
      if (missing.length > 0) {
        result.incomplete.push({ name: c.name, path: folder, missing });
        continue;
      }
      const info = await describe(c);
      if (info.precision === "fp16")
        result.incomplete.push({ name: c.name, path: folder, missing: [`${info.precision} weights: ${UNSUPPORTED}`] });
      else result.models.push(info);
    }
  }
  return result;
}

/** The named complete system ("folder" or "folder (int8)"), or null. */
export async function findModel(name: string, dir: string = defaultModelsDir()): Promise<ModelInfo | null> {
  // "folder (int8)" names a folder's quantized files, unless a folder has that very name
  const m = /^(.*) \(([a-z0-9]+)\)$/.exec(name);
  const folderName = m && !existsSync(path.join(dir, name)) ? m[1] : name;
  const folder = path.join(dir, folderName);
  if (path.basename(folderName) !== folderName || folderName.startsWith(".") || !existsSync(folder)) return null;
  const { candidates } = await candidatesIn(folder);
  const c = candidates.find((x) => x.name === name);
  if (!c || missingFiles(c).length > 0) return null;
  const info = await describe(c);
  return info.precision === "fp16" ? null : info;
}

import { existsSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { env } from "../env";
import { generationDefaults, type GenerationDefaults } from "./generation-config";
import { countParameters } from "./onnx-initializers";

/**
 * Model folders as `optimum-cli export onnx` and transformers.js lay them out:
 *
 * - Optimum (`--task text2text-generation-with-past`): encoder_model.onnx, decoder_model.onnx,
 *   decoder_with_past_model.onnx and (unless --no-post-process) decoder_model_merged.onnx, with
 *   the JSON files beside them; weights over 2 GB in `<file>_data` beside each file.
 * - merged only: encoder_model.onnx + decoder_model_merged.onnx (its use_cache_branch input
 *   chooses the first step or a cached step).
 * - without past (`--task text2text-generation`): encoder_model.onnx + decoder_model.onnx.
 * - transformers.js (as Xenova/t5-small): the JSON files at the top, the ONNX files under onnx/,
 *   with `<name>_quantized.onnx` (int8) beside each float file.
 *
 * Each precision found in a folder is a system of its own: the float files as `<folder>`, the
 * `_quantized` ones as `<folder> (int8)`. A folder whose own files are quantized (onnxruntime's
 * quantize_dynamic writing the same file names) is `<folder>` with precision int8.
 */
export const REQUIRED_FILES = [
  "config.json",
  "generation_config.json",
  "tokenizer.json",
  "tokenizer_config.json",
] as const;

const ROLES = {
  encoder: "encoder_model",
  decoder: "decoder_model",
  decoderWithPast: "decoder_with_past_model",
  merged: "decoder_model_merged",
} as const;
type Role = keyof typeof ROLES;
const FILE_PATTERN = /^(decoder_model_merged|decoder_with_past_model|encoder_model|decoder_model)(_[a-z0-9]+)?\.onnx$/;
/** File-name suffixes of transformers.js' precisions that the runner runs, and their system labels. */
const SUFFIX_LABELS: Record<string, string> = { _quantized: "int8", _int8: "int8", _uint8: "uint8" };
/**
 * The runner feeds and reads float32 tensors: half-precision files (fp16, q4f16) would load and
 * then fail on the first step, so they are reported instead of listed.
 */
const UNSUPPORTED = "the runner runs float32 and 8-bit quantized files; export or quantize to one of those";

export type ModelFiles = Record<Role, string | null>;

/** Which files a generation runs, decided once at discovery. */
export type DecodePlan = {
  /** The first decoder step: decoder_model.onnx, or the merged decoder with use_cache_branch false. */
  first: string;
  /** The cached steps: decoder_with_past_model.onnx, or the merged decoder with use_cache_branch true; null without a cache. */
  withPast: string | null;
  /** Every step recomputed from the start (useCache: false): decoder_model.onnx, else the merged decoder. */
  noCache: string;
};

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

/** A system found in a folder: its ONNX files by role, before reading anything. */
type Candidate = { name: string; folder: string; dir: string; onnxDir: string; suffix: string; files: ModelFiles };

function onnxDirOf(dir: string, entries: string[]): string {
  const here = entries.some((f) => FILE_PATTERN.test(f));
  return !here && existsSync(path.join(dir, "onnx")) ? path.join(dir, "onnx") : dir;
}

async function candidatesIn(dir: string): Promise<{ candidates: Candidate[]; unsupported: Map<string, string[]> }> {
  const folder = path.basename(dir);
  const onnxDir = onnxDirOf(dir, await readdir(dir));
  const bySuffix = new Map<string, ModelFiles>();
  const unsupported = new Map<string, string[]>();
  for (const f of (await readdir(onnxDir)).sort()) {
    const m = FILE_PATTERN.exec(f);
    if (!m) continue;
    const suffix = m[2] ?? "";
    if (suffix && !SUFFIX_LABELS[suffix]) {
      const label = `${folder} (${suffix.slice(1)})`;
      unsupported.set(label, [...(unsupported.get(label) ?? []), f]);
      continue;
    }
    const role = (Object.keys(ROLES) as Role[]).find((r) => ROLES[r] === m[1])!;
    const files = bySuffix.get(suffix) ?? { encoder: null, decoder: null, decoderWithPast: null, merged: null };
    files[role] = f;
    bySuffix.set(suffix, files);
  }
  const candidates = [...bySuffix.entries()].map(([suffix, files]) => ({
    name: suffix ? `${folder} (${SUFFIX_LABELS[suffix]})` : folder,
    folder,
    dir,
    onnxDir,
    suffix,
    files,
  }));
  return { candidates, unsupported };
}

function missingFiles(c: Candidate): string[] {
  const missing: string[] = REQUIRED_FILES.filter((f) => !existsSync(path.join(c.dir, f)));
  const where = c.onnxDir === c.dir ? "" : "onnx/";
  if (!c.files.encoder) missing.push(`${where}encoder_model${c.suffix}.onnx`);
  if (!c.files.decoder && !c.files.merged) {
    // decoder_with_past alone cannot take the first step: it needs the cross-attention cache
    missing.push(`${where}decoder_model${c.suffix}.onnx (or ${where}decoder_model_merged${c.suffix}.onnx)`);
  }
  return missing;
}

function planFor(files: ModelFiles): DecodePlan {
  const first = files.decoder ?? files.merged!;
  if (files.decoderWithPast) return { first, withPast: files.decoderWithPast, noCache: first };
  if (files.merged) return { first: files.merged, withPast: files.merged, noCache: files.decoder ?? files.merged };
  return { first, withPast: null, noCache: first };
}

function taskPrefix(config: Json): string {
  const tsp = config.task_specific_params as Record<string, { prefix?: string }> | undefined;
  return tsp?.paraphrase?.prefix ?? (typeof config.prefix === "string" ? config.prefix : "");
}

function eosList(gen: Json, config: Json): number[] {
  const raw = gen.eos_token_id ?? config.eos_token_id ?? 1;
  const list = (Array.isArray(raw) ? raw : [raw]).filter((v): v is number => typeof v === "number");
  return list.length > 0 ? list : [1];
}

async function describe(c: Candidate): Promise<ModelInfo> {
  const config = await readJson(path.join(c.dir, "config.json"));
  const gen = await readJson(path.join(c.dir, "generation_config.json"));
  const manifestPath = path.join(c.dir, "manifest.json");
  const manifest = existsSync(manifestPath) ? await readJson(manifestPath) : {};
  const plan = planFor(c.files);
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
  const cache =
    cacheSource === "merged"
      ? "key/value cache (merged decoder, use_cache_branch)"
      : cacheSource
        ? "key/value cache"
        : "no key/value cache (every step recomputes the prefix)";
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

function emptyCandidate(name: string, dir: string): Candidate {
  return {
    name,
    folder: name,
    dir,
    onnxDir: dir,
    suffix: "",
    files: { encoder: null, decoder: null, decoderWithPast: null, merged: null },
  };
}

/** The named complete system ("folder" or "folder (int8)"), or null. */
export async function findModel(name: string, dir: string = defaultModelsDir()): Promise<ModelInfo | null> {
  const m = /^(.*) \(([a-z0-9]+)\)$/.exec(name);
  const folderName = m ? m[1] : name;
  const folder = path.join(dir, folderName);
  if (path.basename(folderName) !== folderName || folderName.startsWith(".") || !existsSync(folder)) return null;
  const { candidates } = await candidatesIn(folder);
  const c = candidates.find((x) => x.name === name);
  if (!c || missingFiles(c).length > 0) return null;
  const info = await describe(c);
  return info.precision === "fp16" ? null : info;
}

import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";

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
export const UNSUPPORTED = "the runner runs float32 and 8-bit quantized files; export or quantize to one of those";

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

/** A system found in a folder: its ONNX files by role, before reading anything. */
export type Candidate = {
  name: string;
  folder: string;
  dir: string;
  onnxDir: string;
  suffix: string;
  files: ModelFiles;
};

function onnxDirOf(dir: string, entries: string[]): string {
  const here = entries.some((f) => FILE_PATTERN.test(f));
  return !here && existsSync(path.join(dir, "onnx")) ? path.join(dir, "onnx") : dir;
}

export async function candidatesIn(
  dir: string,
): Promise<{ candidates: Candidate[]; unsupported: Map<string, string[]> }> {
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

export function missingFiles(c: Candidate): string[] {
  // The folder is the user's (models/), not part of the build: keep the bundler from tracing it.
  const missing: string[] = REQUIRED_FILES.filter((f) => !existsSync(path.join(/*turbopackIgnore: true*/ c.dir, f)));
  const where = c.onnxDir === c.dir ? "" : "onnx/";
  if (!c.files.encoder) missing.push(`${where}encoder_model${c.suffix}.onnx`);
  if (!c.files.decoder && !c.files.merged) {
    // decoder_with_past alone cannot take the first step: it needs the cross-attention cache
    missing.push(`${where}decoder_model${c.suffix}.onnx (or ${where}decoder_model_merged${c.suffix}.onnx)`);
  }
  return missing;
}

export function planFor(files: ModelFiles): DecodePlan {
  const first = files.decoder ?? files.merged!;
  if (files.decoderWithPast) return { first, withPast: files.decoderWithPast, noCache: first };
  if (files.merged) return mergedPlanFor(files);
  return { first, withPast: null, noCache: first };
}

/** The merged decoder for the cache (use_cache_branch false, then true), where the folder has one. */
export function mergedPlanFor(files: ModelFiles): DecodePlan {
  return { first: files.merged!, withPast: files.merged!, noCache: files.decoder ?? files.merged! };
}

export function emptyCandidate(name: string, dir: string): Candidate {
  return {
    name,
    folder: name,
    dir,
    onnxDir: dir,
    suffix: "",
    files: { encoder: null, decoder: null, decoderWithPast: null, merged: null },
  };
}

import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { GenerationOptionsSchema, type GenerationOptions } from "../schemas";

/** Shared by the inference tests: the shipped student and its PyTorch reference decodes. */
export const SHIPPED_MODELS_DIR = fileURLToPath(new URL("../../../models", import.meta.url));
export const STUDENT = "paraphrase-student-tiny";

type ReferenceOptions = {
  max_new_tokens: number;
  min_new_tokens: number;
  num_beams: number;
  num_beam_groups: number;
  diversity_penalty: number;
  length_penalty: number;
  early_stopping: boolean | "never";
  no_repeat_ngram_size: number;
  repetition_penalty: number;
  num_return_sequences: number;
};
export type ReferenceCase = { name: string; options: ReferenceOptions; sequences: number[][]; scores: number[] };
export type ReferenceDecodes = { inputs: string[]; input_ids: number[][]; cases: ReferenceCase[] };

export function loadReference(modelsDir = SHIPPED_MODELS_DIR): ReferenceDecodes {
  return JSON.parse(readFileSync(path.join(modelsDir, STUDENT, "reference-decodes.json"), "utf8")) as ReferenceDecodes;
}

/** The runner's options for a reference case (the same meaning, camelCase names). */
export function optionsFor(c: ReferenceCase, useCache: boolean): GenerationOptions {
  const o = c.options;
  const strategy = o.num_beams === 1 ? "greedy" : o.num_beam_groups > 1 ? "diverse-beam" : "beam";
  return GenerationOptionsSchema.parse({
    strategy,
    maxNewTokens: o.max_new_tokens,
    minNewTokens: o.min_new_tokens,
    numBeams: o.num_beams,
    numBeamGroups: o.num_beam_groups,
    diversityPenalty: o.diversity_penalty,
    lengthPenalty: o.length_penalty,
    earlyStopping: o.early_stopping,
    noRepeatNgramSize: o.no_repeat_ngram_size,
    repetitionPenalty: o.repetition_penalty,
    numReturnSequences: o.num_return_sequences,
    useCache,
  });
}

/** Greedy references are padded to the batch's longest row; the runner returns rows ending at EOS. */
export function trimPadding(seq: number[], eos = 1): number[] {
  const at = seq.indexOf(eos, 1);
  return at === -1 ? seq : seq.slice(0, at + 1);
}

/** A temporary models dir holding a copy of the student without some files. Call cleanup() after. */
export function studentCopyWithout(files: string[]): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "models-"));
  cpSync(path.join(SHIPPED_MODELS_DIR, STUDENT), path.join(dir, STUDENT), {
    recursive: true,
    filter: (src) => !files.includes(path.basename(src)),
  });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

import { stat } from "node:fs/promises";
import {
  BFLOAT16,
  FLOAT16,
  INT8,
  readInitializers,
  UINT8,
  WEIGHT_TYPES,
  type InitializerInfo,
  type Stats,
} from "./onnx-initializers";

const numel = (dims: number[]) => dims.reduce((a, b) => a * b, 1);

/** What counting the weights of a set of ONNX files found. */
export type ParameterCount = {
  parameters: number;
  /** Weights stored as 8-bit integers (dynamic quantization), counted by element. */
  int8Parameters: number;
  precision: "fp32" | "fp16" | "int8" | "mixed";
};

const perFile = new Map<string, Promise<InitializerInfo[]>>();

/** readInitializers, remembered per file version (path, size, mtime): a large export is slow to read. */
async function initializersOf(file: string): Promise<InitializerInfo[]> {
  const { size, mtimeMs } = await stat(file);
  const key = `${file}\0${size}\0${mtimeMs}`;
  let found = perFile.get(key);
  if (!found) {
    found = readInitializers(file);
    found.catch(() => perFile.delete(key));
    perFile.set(key, found);
  }
  return found;
}

/**
 * The parameters of a model made of these ONNX files, each weight counted once: a weight stored
 * in several files (the encoder's and the decoders' copies of shared embeddings, the two
 * decoders of a split export) or twice in one (a tied output projection stored transposed) is
 * recognised by its values. Scalars (quantization scales and zero points, constants) are not
 * parameters; quantized weights count one parameter per element.
 */
export async function countParameters(files: string[]): Promise<ParameterCount> {
  const seen = new Set<string>();
  let parameters = 0;
  let int8Parameters = 0;
  const types = new Set<number>();
  /** Dequantized statistics of the 8-bit weights kept so far, to recognise one weight quantized twice. */
  const quantized: { dims: number[]; stats: Stats; step: number }[] = [];
  for (const file of files) {
    const all = await initializersOf(file);
    const scalars = new Map(all.filter((i) => i.stats?.n === 1).map((i) => [i.name, i.stats!.sum]));
    for (const i of all) {
      if (!WEIGHT_TYPES.has(i.dataType)) continue;
      const n = numel(i.dims);
      // Scalars are quantization scales, zero points and constants, not parameters; an all-zero
      // tensor is a buffer such as BART's final_logits_bias (transformers does not count it)
      if (n < 2 || (i.stats && i.stats.min === 0 && i.stats.max === 0)) continue;
      // Constant tensors (all ones) would all look alike: those are told apart by name too
      const key = i.fingerprint ? (i.isConstant ? `${i.name}\0${i.fingerprint}` : i.fingerprint) : `${file}\0${i.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const is8bit = i.dataType === INT8 || i.dataType === UINT8;
      if (is8bit && i.stats) {
        // A tied embedding is quantized twice, differently: as a Gather table (uint8) and as the
        // output projection's MatMul weight (int8, transposed). Same weight when the dequantized
        // values agree to within the two quantization steps.
        const base = i.name.replace(/_quantized$/, "");
        const scale = scalars.get(`${base}_scale`);
        const zero = scalars.get(`${base}_zero_point`) ?? 0;
        if (scale !== undefined) {
          const s = i.stats;
          const stats: Stats = {
            n: s.n,
            sum: scale * (s.sum - s.n * zero),
            squares: scale * scale * (s.squares - 2 * zero * s.sum + s.n * zero * zero),
            min: scale * (s.min - zero),
            max: scale * (s.max - zero),
          };
          const twin = quantized.find((q) => sameWeight(q, { dims: i.dims, stats, step: Math.abs(scale) }));
          if (twin) continue;
          quantized.push({ dims: i.dims, stats, step: Math.abs(scale) });
        }
      }
      parameters += n;
      types.add(i.dataType);
      if (is8bit) int8Parameters += n;
    }
  }
  const floats = [...types].filter((t) => t !== INT8 && t !== UINT8);
  const precision =
    int8Parameters > 0
      ? "int8"
      : floats.length === 1 && (floats[0] === FLOAT16 || floats[0] === BFLOAT16)
        ? "fp16"
        : floats.length <= 1
          ? "fp32"
          : "mixed";
  return { parameters, int8Parameters, precision };
}

type Quantized = { dims: number[]; stats: Stats; step: number };

/** Two 8-bit tensors holding one tied weight (the table and its transpose): their dequantized values agree. */
export function sameWeight(a: Quantized, b: Quantized): boolean {
  // Only the tied case: a table and its transpose. Same-shaped weights of one layer type (q, k, v,
  // o) have near-equal statistics when freshly initialised, so matching those would merge
  // different weights (a random T5-small's int8 count came out at 48.7M of 60.5M)
  const transposed =
    a.dims.length === 2 && a.dims[0] !== a.dims[1] && a.dims.join("x") === [...b.dims].reverse().join("x");
  if (!transposed || a.stats.n !== b.stats.n) return false;
  const step = a.step + b.step;
  const n = a.stats.n;
  const meanSquare = a.stats.squares / n;
  return (
    Math.abs(a.stats.min - b.stats.min) <= step &&
    Math.abs(a.stats.max - b.stats.max) <= step &&
    Math.abs(a.stats.sum - b.stats.sum) / n <= step &&
    Math.abs(a.stats.squares - b.stats.squares) / n <= 0.05 * meanSquare + step * step
  );
}

/** Weights (floating-point and 8-bit) of one ONNX file; see countParameters for what counts. */
export async function countOnnxParameters(file: string): Promise<number> {
  return (await countParameters([file])).parameters;
}

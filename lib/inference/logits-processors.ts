import type { GenerationOptions } from "./schemas";

/**
 * Logits processors and warpers with the semantics of transformers' LogitsProcessor classes.
 * Each works in place on one row (a Float32Array view of vocab scores) given that row's decoder
 * ids so far (decoder start token included, as generate() passes them).
 */

/** RepetitionPenaltyLogitsProcessor: scores of tokens already in the row are pushed down. */
export function applyRepetitionPenalty(scores: Float32Array, ids: readonly number[], penalty: number): void {
  if (penalty === 1) return;
  const seen = new Set(ids);
  for (const t of seen) {
    const s = scores[t];
    scores[t] = s < 0 ? s * penalty : s / penalty;
  }
}

/** NoRepeatNGramLogitsProcessor: bans tokens that would repeat an n-gram already in the row. */
export function applyNoRepeatNgram(scores: Float32Array, ids: readonly number[], n: number): void {
  if (n <= 0 || ids.length + 1 < n) return;
  const start = ids.length - n + 1;
  for (let i = 0; i + n <= ids.length; i++) {
    let match = true;
    for (let j = 0; j < n - 1; j++) {
      if (ids[i + j] !== ids[start + j]) {
        match = false;
        break;
      }
    }
    if (match) scores[ids[i + n - 1]] = -Infinity;
  }
}

/** MinNewTokensLengthLogitsProcessor: no EOS before minNewTokens tokens are generated. */
export function applyMinNewTokens(scores: Float32Array, generated: number, minNewTokens: number, eos: number): void {
  if (generated < minNewTokens) scores[eos] = -Infinity;
}

/** The processors generate() builds from these options, in its order. */
export function processRow(
  scores: Float32Array,
  ids: readonly number[],
  o: Pick<GenerationOptions, "repetitionPenalty" | "noRepeatNgramSize" | "minNewTokens">,
  eos: number,
): void {
  applyRepetitionPenalty(scores, ids, o.repetitionPenalty);
  applyNoRepeatNgram(scores, ids, o.noRepeatNgramSize);
  applyMinNewTokens(scores, ids.length - 1, o.minNewTokens, eos);
}

/** TemperatureLogitsWarper. */
export function applyTemperature(scores: Float32Array, temperature: number): void {
  if (temperature === 1) return;
  for (let i = 0; i < scores.length; i++) scores[i] /= temperature;
}

/** TopKLogitsWarper: keeps the k best scores (ties with the k-th included). */
export function applyTopK(scores: Float32Array, k: number): void {
  if (k <= 0 || k >= scores.length) return;
  const kth = topK(scores, k).values[k - 1];
  for (let i = 0; i < scores.length; i++) if (scores[i] < kth) scores[i] = -Infinity;
}

/** TopPLogitsWarper: keeps the smallest set of best tokens whose probability reaches p. */
export function applyTopP(scores: Float32Array, p: number): void {
  if (p >= 1) return;
  const order = Array.from(scores.keys()).sort((a, b) => scores[a] - scores[b] || a - b); // ascending
  let max = -Infinity;
  for (const s of scores) if (s > max) max = s;
  const probs = order.map((i) => Math.exp(scores[i] - max));
  const total = probs.reduce((a, b) => a + b, 0);
  let cumulative = 0;
  // Remove the low tail whose mass is <= 1 - p; the best token always stays
  for (let j = 0; j < order.length - 1; j++) {
    cumulative += probs[j] / total;
    if (cumulative > 1 - p) break;
    scores[order[j]] = -Infinity;
  }
}

/**
 * Indices and values of the k largest entries, best first; ties keep the lower index first.
 * One pass with a small sorted buffer: k is at most 2 x numBeams.
 */
export function topK(values: Float32Array, k: number): { indices: Int32Array; values: Float32Array } {
  const idx = new Int32Array(k).fill(-1);
  const val = new Float32Array(k).fill(-Infinity);
  let filled = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (filled === k && !(v > val[k - 1])) continue;
    let pos = filled < k ? filled : k - 1;
    while (pos > 0 && v > val[pos - 1]) {
      val[pos] = val[pos - 1];
      idx[pos] = idx[pos - 1];
      pos--;
    }
    val[pos] = v;
    idx[pos] = i;
    if (filled < k) filled++;
  }
  return { indices: idx, values: val };
}

/**
 * topK over `offsets.length` consecutive rows of `width` values, each row shifted by its offset
 * (a beam's running score) as float32 addition, without writing the sums: the flat index of an
 * entry is row * width + column, as torch.topk over the (rows * width) view gives.
 */
export function topKWithOffsets(values: Float32Array, width: number, offsets: Float32Array, k: number): { indices: Int32Array; values: Float32Array } {
  const idx = new Int32Array(k).fill(-1);
  const val = new Float32Array(k).fill(-Infinity);
  let filled = 0;
  let floor = -Infinity; // the k-th best so far once the buffer is full
  for (let r = 0; r < offsets.length; r++) {
    const add = offsets[r];
    const base = r * width;
    for (let c = 0; c < width; c++) {
      // float64 sum first: exact for these magnitudes, and cheaper than rounding every entry
      if (filled === k && !(values[base + c] + add > floor)) continue;
      const v = Math.fround(values[base + c] + add);
      if (filled === k && !(v > floor)) continue;
      let pos = filled < k ? filled : k - 1;
      while (pos > 0 && v > val[pos - 1]) {
        val[pos] = val[pos - 1];
        idx[pos] = idx[pos - 1];
        pos--;
      }
      val[pos] = v;
      idx[pos] = base + c;
      if (filled < k) filled++;
      if (filled === k) floor = val[k - 1];
    }
  }
  return { indices: idx, values: val };
}

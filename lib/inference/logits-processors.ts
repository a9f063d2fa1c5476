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

/** The tokens NoRepeatNGramLogitsProcessor bans after these ids. */
export function bannedNgramTokens(ids: readonly number[], n: number): number[] {
  if (n <= 0 || ids.length + 1 < n) return [];
  const banned: number[] = [];
  const start = ids.length - n + 1;
  for (let i = 0; i + n <= ids.length; i++) {
    let match = true;
    for (let j = 0; j < n - 1; j++) {
      if (ids[i + j] !== ids[start + j]) {
        match = false;
        break;
      }
    }
    if (match) banned.push(ids[i + n - 1]);
  }
  return banned;
}

/** NoRepeatNGramLogitsProcessor: bans tokens that would repeat an n-gram already in the row. */
export function applyNoRepeatNgram(scores: Float32Array, ids: readonly number[], n: number): void {
  for (const t of bannedNgramTokens(ids, n)) scores[t] = -Infinity;
}

/** MinNewTokensLengthLogitsProcessor: no EOS before minNewTokens tokens are generated. */
export function applyMinNewTokens(scores: Float32Array, generated: number, minNewTokens: number, eos: number): void {
  if (generated < minNewTokens) scores[eos] = -Infinity;
}

/**
 * Tokens a model's config forces (ForcedBOSTokenLogitsProcessor, ForcedEOSTokenLogitsProcessor):
 * bos as the first generated token, eos as the last one the length limit allows. maxLength
 * counts the decoder start token (1 + max_new_tokens).
 */
export type Forced = { bos: number | null; eos: number | null; maxLength: number };

/** The token forced after these many decoder ids (start token included), or null. */
export function forcedToken(length: number, forced: Forced | undefined): number | null {
  if (!forced) return null;
  if (length === 1 && forced.bos !== null) return forced.bos;
  if (length === forced.maxLength - 1 && forced.eos !== null) return forced.eos;
  return null;
}

/** Every score -Infinity except the forced token's, 0 (as transformers does). */
export function applyForced(scores: Float32Array, token: number): void {
  scores.fill(-Infinity);
  scores[token] = 0;
}

/** The processors generate() builds from these options, in its order (forced tokens last). */
export function processRow(
  scores: Float32Array,
  ids: readonly number[],
  o: Pick<GenerationOptions, "repetitionPenalty" | "noRepeatNgramSize" | "minNewTokens">,
  eos: number | readonly number[],
  forced?: Forced,
): void {
  applyRepetitionPenalty(scores, ids, o.repetitionPenalty);
  applyNoRepeatNgram(scores, ids, o.noRepeatNgramSize);
  for (const e of typeof eos === "number" ? [eos] : eos) applyMinNewTokens(scores, ids.length - 1, o.minNewTokens, e);
  const token = forcedToken(ids.length, forced);
  if (token !== null) applyForced(scores, token);
}

/**
 * Every token whose score processRow may change for a row with these ids: it depends on the ids
 * alone, so it is known before the decoder runs.
 */
export function touchedTokens(
  ids: readonly number[],
  o: Pick<GenerationOptions, "repetitionPenalty" | "noRepeatNgramSize" | "minNewTokens">,
  eos: number | readonly number[],
): number[] {
  const out = new Set<number>(o.repetitionPenalty === 1 ? [] : ids);
  for (const t of bannedNgramTokens(ids, o.noRepeatNgramSize)) out.add(t);
  if (ids.length - 1 < o.minNewTokens) for (const e of typeof eos === "number" ? [eos] : eos) out.add(e);
  return [...out];
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
    filled = insert(idx, val, filled, k, i, v);
  }
  return { indices: idx, values: val };
}

/**
 * topK over `offsets.length` consecutive rows of `width` values, each row shifted by its offset
 * (a beam's running score) as float32 addition, without writing the sums: the flat index of an
 * entry is row * width + column, as torch.topk over the (rows * width) view gives.
 *
 * This scan runs over every vocabulary entry of every beam at every step, so its inner loop is
 * one comparison against a threshold: `value > floor - offset` (computed in float64, with a
 * margin that only lets more entries through) rejects nearly everything, and the few that pass
 * are checked exactly (float32 sum, strict >, so ties keep the lower index as torch does).
 */
export function topKWithOffsets(
  values: Float32Array,
  width: number,
  offsets: Float32Array,
  k: number,
): { indices: Int32Array; values: Float32Array } {
  const idx = new Int32Array(k).fill(-1);
  const val = new Float32Array(k).fill(-Infinity);
  let filled = 0;
  for (let r = 0; r < offsets.length; r++) {
    const add = offsets[r];
    const end = (r + 1) * width;
    let c = r * width;
    // -Infinity entries still fill an empty buffer, as torch.topk returns them when it must
    for (; c < end && filled < k; c++) filled = insert(idx, val, filled, k, c, Math.fround(values[c] + add));
    let threshold = lowerBound(val[k - 1], add);
    while (c < end) {
      c = firstAbove(values, c, end, threshold);
      if (c === end) break;
      const v = Math.fround(values[c] + add);
      if (v > val[k - 1]) {
        insert(idx, val, k, k, c, v);
        threshold = lowerBound(val[k - 1], add);
      }
      c++;
    }
  }
  return { indices: idx, values: val };
}

/** The first index in [from, end) whose value exceeds threshold, or end: the hot loop. */
function firstAbove(values: Float32Array, from: number, end: number, threshold: number): number {
  for (let i = from; i < end; i++) if (values[i] > threshold) return i;
  return end;
}

/** Inserts (index, v) into the sorted buffer (stable: after equal values); returns the new fill. */
function insert(idx: Int32Array, val: Float32Array, filled: number, k: number, index: number, v: number): number {
  let pos = filled < k ? filled : k - 1;
  while (pos > 0 && v > val[pos - 1]) {
    val[pos] = val[pos - 1];
    idx[pos] = idx[pos - 1];
    pos--;
  }
  val[pos] = v;
  idx[pos] = index;
  return filled < k ? filled + 1 : filled;
}

/**
 * A number at or below every x with fround(x + add) > floor: floor - add in float64, lowered by a
 * relative margin far larger than float32 rounding, so the exact test decides every close call.
 */
function lowerBound(floor: number, add: number): number {
  const d = floor - add;
  return d - (Math.abs(floor) + Math.abs(add)) * 1e-6 - 1e-30;
}

/**
 * topKWithOffsets for beam search from each row's best entries instead of whole rows: `best`
 * holds, per row, the ids and scores of its `perRow` best unprocessed log-probabilities (best
 * first, ties to the lower id); `touched` the ids processRow may change in that row, with their
 * processed scores. Returns null when the answer cannot be proven from these alone: when some
 * row's perRow-th best, shifted, could still tie or beat the k-th pick (then the whole rows
 * decide).
 */
export function topKFromBest(
  best: { ids: ArrayLike<number | bigint>; scores: Float32Array; perRow: number },
  rows: { row: number; touched: readonly number[]; processed: readonly number[] }[],
  width: number,
  offsets: Float32Array,
  k: number,
): { indices: Int32Array; values: Float32Array } | null {
  const flat: number[] = [];
  const sums: number[] = [];
  const lowest: number[] = [];
  rows.forEach(({ row, touched, processed }, i) => {
    const add = offsets[i];
    const skip = new Set(touched);
    for (let j = 0; j < best.perRow; j++) {
      const id = Number(best.ids[row * best.perRow + j]);
      if (skip.has(id)) continue;
      flat.push(i * width + id);
      sums.push(Math.fround(best.scores[row * best.perRow + j] + add));
    }
    touched.forEach((id, j) => {
      flat.push(i * width + id);
      sums.push(Math.fround(processed[j] + add));
    });
    lowest.push(best.perRow < width ? Math.fround(best.scores[row * best.perRow + best.perRow - 1] + add) : -Infinity);
  });
  const order = flat.map((_, j) => j).sort((a, b) => sums[b] - sums[a] || flat[a] - flat[b]);
  if (order.length < k) return null;
  const kth = sums[order[k - 1]];
  // an entry outside a row's best could round to the k-th pick's value (and win on a lower id)
  if (lowest.some((v) => v >= kth) || !Number.isFinite(kth)) return null;
  const indices = new Int32Array(k);
  const values = new Float32Array(k);
  for (let j = 0; j < k; j++) {
    indices[j] = flat[order[j]];
    values[j] = sums[order[j]];
  }
  return { indices, values };
}

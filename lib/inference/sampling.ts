import { randomInt } from "node:crypto";
import { decodeRowByRow, type DecodeInput, type DecodeOutput } from "./greedy";
import { applyTemperature, applyTopK, applyTopP } from "./logits-processors";

/**
 * mulberry32: a small, fast 32-bit PRNG. Our own so that a seed gives the same paraphrases on
 * every machine and Node version (Math.random cannot be seeded).
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One generator per row, from (seed, input index, return index), so rows do not share draws. */
export function rowRandom(seed: number, input: number, sequence: number): () => number {
  let h = seed >>> 0;
  for (const k of [input, sequence]) h = Math.imul(h ^ (k + 0x9e3779b9), 0x85ebca6b) >>> 0;
  const rng = mulberry32(h);
  rng(); // the first draw of mulberry32 is weakly mixed for nearby seeds
  return rng;
}

/** Draws an index from unnormalised log-weights (-Infinity = never). */
export function drawFromLogits(scores: Float32Array, u: number): number {
  let max = -Infinity;
  for (let i = 0; i < scores.length; i++) if (scores[i] > max) max = scores[i];
  // After top-k most entries are -Infinity: skipping them saves an exp each
  let total = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] !== -Infinity) total += Math.exp(scores[i] - max);
  let target = u * total;
  let last = 0;
  for (let i = 0; i < scores.length; i++) {
    if (scores[i] === -Infinity) continue;
    last = i;
    target -= Math.exp(scores[i] - max);
    if (target < 0) return i;
  }
  return last;
}

/**
 * Multinomial sampling as generate() with do_sample=True: processors, then temperature, top-k
 * and top-p warpers, then a draw. numReturnSequences rows per input, each drawn independently.
 * Without a seed, a random one is used (and results differ run to run).
 */
export function sample(d: DecodeInput): Promise<DecodeOutput> {
  const { batch, options: o } = d;
  const perInput = o.numReturnSequences;
  const seed = o.seed ?? randomInt(2 ** 32 - 1);
  const rngs = Array.from({ length: batch * perInput }, (_, r) =>
    rowRandom(seed, Math.floor(r / perInput), r % perInput),
  );
  return decodeRowByRow(d, batch * perInput, (row, r) => {
    applyTemperature(row, o.temperature);
    applyTopK(row, o.topK);
    applyTopP(row, o.topP);
    return drawFromLogits(row, rngs[r]());
  });
}

import { describe, expect, it } from "vitest";
import pairs from "./testing/paraphrase-pairs.json";
import { universalSentenceEncoder } from "./universal-sentence-encoder";
import { bytesToVector, cosineSimilarity, vectorToBytes } from "./vector";

/** Probability that a random paraphrase pair scores above a random unrelated pair (ties count half). */
function auc(positives: number[], negatives: number[]): number {
  let wins = 0;
  for (const p of positives) for (const n of negatives) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (positives.length * negatives.length);
}

describe("offline default encoder (Universal Sentence Encoder lite from npm)", () => {
  it("scores the committed paraphrase pairs above unrelated pairs (AUC at least 0.9)", async () => {
    const provider = universalSentenceEncoder();
    const sources = pairs.map((p) => p[0]);
    const paraphrases = pairs.map((p) => p[1]);
    const [s, p] = await Promise.all([provider.embed(sources), provider.embed(paraphrases)]);
    const positive = s.map((v, i) => cosineSimilarity(v, p[i]));
    // Unrelated: each source against the paraphrase of a source 17 places on (a different topic).
    const negative = s.map((v, i) => cosineSimilarity(v, p[(i + 17) % p.length]));
    const score = auc(positive, negative);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    console.log(
      `USE lite on ${pairs.length} pairs: AUC ${score.toFixed(3)}, mean cosine paraphrase ${mean(positive).toFixed(3)}, unrelated ${mean(negative).toFixed(3)}`,
    );
    expect(pairs.length).toBeGreaterThanOrEqual(50);
    expect(s[0]).toHaveLength(512);
    expect(score).toBeGreaterThanOrEqual(0.9);
  }, 60_000);

  it("embeds an empty text without failing the batch", async () => {
    const [empty, text] = await universalSentenceEncoder().embed(["", "A sentence."]);
    expect(empty).toHaveLength(512);
    expect(text).toHaveLength(512);
  }, 60_000);

  it("stores vectors as float32 bytes that read back exactly", () => {
    const v = Float32Array.from([0.5, -1.25, 3e-8, 42]);
    expect(Array.from(bytesToVector(vectorToBytes(v)))).toEqual(Array.from(v));
    expect(cosineSimilarity([1, 0], [0, 1])).toBe(0);
    expect(cosineSimilarity([1, 2], [2, 4])).toBeCloseTo(1, 12);
  });
});

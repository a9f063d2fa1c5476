import { describe, expect, it } from "vitest";
import { ngramJaccard, selfBleu, sentenceBleu } from "./bleu";
import { tokenizeWords } from "./tokenize";

const words = tokenizeWords;

describe("sentence BLEU", () => {
  it("is 1 for an exact copy", () => {
    expect(sentenceBleu(words("the cat sat on the mat"), [words("the cat sat on the mat")])).toBeCloseTo(1, 12);
  });

  it("matches a hand-worked add-one smoothed example", () => {
    // candidate "the cat sat on the mat" vs reference "the cat is on the mat":
    // p1 = 5/6; bigrams 3/5 -> (3+1)/(5+1); trigrams 1/4 -> 2/5; 4-grams 0/3 -> 1/4; BP = 1.
    const expected = Math.pow((5 / 6) * (4 / 6) * (2 / 5) * (1 / 4), 1 / 4);
    expect(sentenceBleu(words("the cat sat on the mat"), [words("the cat is on the mat")])).toBeCloseTo(expected, 12);
    // Unsmoothed, the missing 4-gram zeroes it.
    expect(sentenceBleu(words("the cat sat on the mat"), [words("the cat is on the mat")], { smoothing: "none" })).toBe(
      0,
    );
  });

  it("clips repeated words and applies the brevity penalty", () => {
    // Papineni's "the the the ..." example: unigram precision 2/7.
    const candidate = words("the the the the the the the");
    const references = [words("the cat is on the mat"), words("there is a cat on the mat")];
    expect(sentenceBleu(candidate, references, { maxN: 1 })).toBeCloseTo(2 / 7, 12);
    // 3 words against a closest reference of 6: BP = exp(1 - 6/3).
    expect(sentenceBleu(words("the cat is"), [words("the cat is on the mat")], { maxN: 1 })).toBeCloseTo(
      Math.exp(1 - 2),
      12,
    );
  });

  it("scores 0 without words or unigram matches", () => {
    expect(sentenceBleu([], [words("a b")])).toBe(0);
    expect(sentenceBleu(words("x y z"), [words("a b c")])).toBe(0);
    expect(() => sentenceBleu(words("a"), [])).toThrow(RangeError);
  });
});

describe("self-BLEU", () => {
  it("is 1 for identical outputs and lower for varied ones", () => {
    const same = [words("a quick brown fox jumps"), words("a quick brown fox jumps"), words("a quick brown fox jumps")];
    expect(selfBleu(same)).toBeCloseTo(1, 12);
    const varied = [words("a quick brown fox jumps"), words("the fast fox leaps"), words("a brown fox is jumping")];
    expect(selfBleu(varied)!).toBeLessThan(0.5);
    expect(selfBleu([words("only one")])).toBeNull();
  });

  it("averages each output's BLEU against the others", () => {
    const outputs = [words("a b c d"), words("a b c e"), words("x y")];
    const manual =
      (sentenceBleu(outputs[0], [outputs[1], outputs[2]]) +
        sentenceBleu(outputs[1], [outputs[0], outputs[2]]) +
        sentenceBleu(outputs[2], [outputs[0], outputs[1]])) /
      3;
    expect(selfBleu(outputs)).toBeCloseTo(manual, 14);
  });
});

describe("n-gram Jaccard", () => {
  it("computes set overlap by hand", () => {
    // {the, cat, sat, on, mat} vs {the, cat, is, on, mat}: 4 shared of 6
    expect(ngramJaccard(words("the cat sat on the mat"), words("the cat is on the mat"))).toBeCloseTo(4 / 6, 12);
    // bigrams: {the cat, cat sat, sat on, on the, the mat} vs {the cat, cat is, is on, on the, the mat}: 3 of 7
    expect(ngramJaccard(words("the cat sat on the mat"), words("the cat is on the mat"), 2)).toBeCloseTo(3 / 7, 12);
    expect(ngramJaccard([], [])).toBe(1);
  });
});

import { describe, expect, it } from "vitest";
import { levenshtein, normalizedEditDistance } from "./edit-distance";
import { tokenizeWords } from "./tokenize";

describe("word-level edit distance", () => {
  it("counts word insertions, deletions and substitutions", () => {
    // kitten -> sitting is the classic 3 at character level.
    expect(levenshtein([..."kitten"], [..."sitting"])).toBe(3);
    const a = tokenizeWords("The cat sat on the mat.");
    const b = tokenizeWords("A cat was sitting on the mat");
    // the->a, sat->was, insert sitting: 3 edits over max length 7
    expect(levenshtein(a, b)).toBe(3);
    expect(normalizedEditDistance(a, b)).toBeCloseTo(3 / 7, 12);
  });

  it("is 0 for identical and 1 for disjoint sequences", () => {
    expect(normalizedEditDistance(["a", "b"], ["a", "b"])).toBe(0);
    expect(normalizedEditDistance(["a", "b"], ["c", "d", "e"])).toBe(1);
    expect(normalizedEditDistance([], [])).toBe(0);
    expect(normalizedEditDistance([], ["x"])).toBe(1);
  });

  it("tokenizes words, not punctuation, case-insensitively", () => {
    expect(tokenizeWords("Don't stop—it's STATE-of-the-art, 2024!")).toEqual([
      "don't",
      "stop",
      "it's",
      "state-of-the-art",
      "2024",
    ]);
    expect(tokenizeWords("Don’t")).toEqual(["don't"]);
    expect(tokenizeWords("  ...  ")).toEqual([]);
  });
});

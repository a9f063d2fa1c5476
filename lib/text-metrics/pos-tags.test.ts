import { describe, expect, it } from "vitest";
import { posTags, syntacticDiversity } from "./pos-tags";

describe("POS tags and syntactic diversity", () => {
  it("tags words with Universal Dependencies tags and drops punctuation", () => {
    expect(posTags("The quick brown fox jumps over the lazy dog.")).toEqual([
      "DET",
      "ADV",
      "ADJ",
      "NOUN",
      "VERB",
      "ADP",
      "DET",
      "ADJ",
      "NOUN",
    ]);
  });

  it("is 0 when only words change and the structure stays", () => {
    // DET NOUN VERB DET NOUN in both.
    expect(syntacticDiversity("The cat ate the fish.", "The boy kicked the ball.")).toBe(0);
  });

  it("grows when the sentence is restructured (active -> passive)", () => {
    const source = "The boy kicked the ball.";
    const passive = "The ball was kicked by the boy.";
    expect(posTags(source)).toEqual(["DET", "NOUN", "VERB", "DET", "NOUN"]);
    // DET NOUN VERB DET NOUN vs DET NOUN AUX VERB ADP DET NOUN: 2 insertions over 7.
    expect(posTags(passive)).toEqual(["DET", "NOUN", "AUX", "VERB", "ADP", "DET", "NOUN"]);
    expect(syntacticDiversity(source, passive)).toBeCloseTo(2 / 7, 12);
  });
});

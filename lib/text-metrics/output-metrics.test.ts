import { describe, expect, it } from "vitest";
import { analyzeText, computeOutputMetrics, selfBleuOfOutputs } from "./output-metrics";

describe("computeOutputMetrics", () => {
  it("scores a verbatim copy as no change", () => {
    const m = computeOutputMetrics({ source: "The boy kicked the ball.", output: "The boy kicked the ball." });
    expect(m).toEqual({
      wordEditDistance: 0,
      bleuVsSource: 1,
      unigramJaccard: 1,
      bigramJaccard: 1,
      syntacticDiversity: 0,
      lengthRatio: 1,
      wordPositionDeviation: 0,
      lexicalDeviation: 0,
      outputWords: 5,
    });
  });

  it("gives hand-checked values for a passive paraphrase", () => {
    const source = analyzeText("The boy kicked the ball.");
    const m = computeOutputMetrics({ source, output: "The ball was kicked by the boy." });
    // words: the boy kicked the ball -> the ball was kicked by the boy
    // Levenshtein 4 (boy->ball, kicked->was, insert kicked by, ball->boy ... ) over 7 words
    expect(m.wordEditDistance).toBeCloseTo(4 / 7, 12);
    // sets {the, boy, kicked, ball} vs {the, ball, was, kicked, by, boy}: 4 of 6
    expect(m.unigramJaccard).toBeCloseTo(4 / 6, 12);
    // bigram sets share only "the ball" and "the boy": 2 of (4 + 6 - 2)
    expect(m.bigramJaccard).toBeCloseTo(2 / 8, 12);
    expect(m.syntacticDiversity).toBeCloseTo(2 / 7, 12);
    expect(m.lengthRatio).toBeCloseTo(7 / 5, 12);
    expect(m.bleuVsSource).toBeGreaterThan(0);
    expect(m.bleuVsSource).toBeLessThan(0.5);
  });

  it("handles an empty source", () => {
    expect(computeOutputMetrics({ source: "", output: "Something." }).lengthRatio).toBeNull();
  });
});

describe("selfBleuOfOutputs", () => {
  it("is high for near-duplicates, low for varied outputs", () => {
    const duplicates = ["The boy kicked the ball.", "The boy kicked the ball!", "the boy kicked the ball"];
    expect(selfBleuOfOutputs(duplicates)).toBeCloseTo(1, 12);
    const varied = [
      "The boy kicked the ball.",
      "A ball was struck by the child.",
      "Kicking it, he sent the ball away.",
    ];
    expect(selfBleuOfOutputs(varied)!).toBeLessThan(0.3);
    expect(selfBleuOfOutputs(["one"])).toBeNull();
  });
});

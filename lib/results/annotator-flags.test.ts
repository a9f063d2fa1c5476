import { describe, expect, it } from "vitest";
import { annotatorFlags, type FlagInput } from "./annotator-flags";

const steady = (id: string, seconds: number, n = 20): FlagInput => ({
  annotatorId: id,
  activeMs: Array.from({ length: n }, (_, i) => seconds * 1000 + i),
  gold: { answered: 4, correct: 4 },
  attention: { answered: 2, correct: 2 },
  regularRatings: n,
  uniformRatings: 2,
});

describe("annotatorFlags", () => {
  it("flags the issue's annotator: 0.9 s per item with 0% gold accuracy", () => {
    const flags = annotatorFlags([
      steady("a", 12),
      steady("b", 15),
      steady("c", 10),
      { ...steady("fast", 0.9), gold: { answered: 5, correct: 0 } },
    ]);
    expect(flags.get("fast")).toEqual([
      expect.stringMatching(/^too fast: median 0\.9 s per rating against 1\d\.\d s for the study$/),
      "failed gold: 0 of 5 correct",
    ]);
    expect(flags.get("a")).toEqual([]);
    expect(flags.get("c")).toEqual([]);
  });

  it("flags straight-lining and failed attention checks", () => {
    const flags = annotatorFlags([
      steady("a", 12),
      { ...steady("flat", 11), uniformRatings: 19 },
      { ...steady("careless", 12), attention: { answered: 3, correct: 1 } },
    ]);
    expect(flags.get("flat")).toEqual(["straight-lining: one value for every score in 19 of 20 ratings"]);
    expect(flags.get("careless")).toEqual(["failed attention checks: 2 of 3"]);
  });

  it("does not judge an annotator on too little", () => {
    const flags = annotatorFlags([
      steady("a", 12),
      { ...steady("new", 1, 3), gold: { answered: 2, correct: 0 }, uniformRatings: 3 },
    ]);
    expect(flags.get("new")).toEqual([]);
  });
});

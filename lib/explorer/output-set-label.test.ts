import { describe, expect, it } from "vitest";
import { describeOutputSet } from "./output-set-label";

describe("describeOutputSet", () => {
  it("names a student's set by strategy and the settings that matter, not by its hash", () => {
    expect(
      describeOutputSet({
        systemName: "t5-small",
        settingsKey: "s:b9f56bf9cc",
        settings: {
          strategy: "diverse-beam",
          numBeams: 4,
          numBeamGroups: 2,
          diversityPenalty: 0.5,
          numReturnSequences: 4,
          maxNewTokens: 32,
        },
      }),
    ).toBe("t5-small · diverse beam search, 4 beams in 2 groups, penalty 0.5, 4 per source");
    expect(
      describeOutputSet({ systemName: "tiny", settingsKey: "s:1", settings: { strategy: "greedy", maxNewTokens: 64 } }),
    ).toBe("tiny · greedy, max 64 tokens");
    expect(
      describeOutputSet({
        systemName: "tiny",
        settingsKey: "s:2",
        settings: { strategy: "sampling", temperature: 0.9, topK: 0, topP: 0.95, seed: 7, numReturnSequences: 3 },
      }),
    ).toBe("tiny · sampling, temperature 0.9, top-p 0.95, seed 7, 3 per source");
  });

  it("names a teacher's set by count, temperature and prompt", () => {
    expect(
      describeOutputSet({ systemName: "gpt-4o", settingsKey: "t:abc", settings: { n: 5, temperature: 0.7 } }),
    ).toBe("gpt-4o · 5 per request, temperature 0.7");
    expect(describeOutputSet({ systemName: "x", settingsKey: "import:1", settings: {} })).toBe("x · imported");
  });
});

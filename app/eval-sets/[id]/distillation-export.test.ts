import { describe, expect, it } from "vitest";
import { thresholdProblem } from "./distillation-export";

describe("distillation export thresholds", () => {
  it("says on the page what is wrong with a value the API would refuse (422), instead of a silent failed download", () => {
    expect(thresholdProblem("The minimum word edit distance", "1.5")).toBe(
      "The minimum word edit distance must be from 0 to 1; 1.5 is outside that range.",
    );
    expect(thresholdProblem("The BLEU ceiling", "abc")).toMatch(/must be a number from 0 to 1/);
    expect(thresholdProblem("The BLEU ceiling", "")).toBeNull();
    expect(thresholdProblem("The BLEU ceiling", "0.35")).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { exportFilename, usesSimulatedRatings } from "./dataset";

describe("usesSimulatedRatings", () => {
  it("uses simulated ratings only while there is no real one", () => {
    expect(usesSimulatedRatings({ real: 0, simulated: 16 })).toBe(true);
    expect(usesSimulatedRatings({ real: 1, simulated: 16 })).toBe(false);
    expect(usesSimulatedRatings({ real: 0, simulated: 0 })).toBe(false);
  });
});

describe("exportFilename", () => {
  it("slugs the study's name and marks simulated data", () => {
    expect(
      exportFilename({
        studyName: "Pilot: T5 vs. GPT (v2)!",
        contents: "ratings",
        isSimulated: false,
        extension: "csv",
      }),
    ).toBe("pilot-t5-vs-gpt-v2-ratings.csv");
    expect(exportFilename({ studyName: "Pilot", contents: "results", isSimulated: true, extension: "json" })).toBe(
      "pilot-results-SIMULATED.json",
    );
  });

  it("never gives an empty or overlong name", () => {
    expect(exportFilename({ studyName: "Étude ½", contents: "ratings", isSimulated: false, extension: "jsonl" })).toBe(
      "tude-ratings.jsonl",
    );
    expect(exportFilename({ studyName: "???", contents: "ratings", isSimulated: false, extension: "csv" })).toBe(
      "study-ratings.csv",
    );
    expect(
      exportFilename({ studyName: "a".repeat(200), contents: "results", isSimulated: false, extension: "json" }),
    ).toBe(`${"a".repeat(60)}-results.json`);
  });
});

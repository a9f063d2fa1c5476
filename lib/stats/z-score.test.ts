import { describe, expect, it } from "vitest";
import { zScoreByAnnotator } from "./z-score";

describe("zScoreByAnnotator", () => {
  it("standardises each annotator and criterion separately (population SD)", () => {
    const rows = [
      { annotatorId: "a", criterion: "fluency", value: 1 },
      { annotatorId: "a", criterion: "fluency", value: 3 },
      { annotatorId: "b", criterion: "fluency", value: 4 },
      { annotatorId: "b", criterion: "fluency", value: 5 },
      { annotatorId: "a", criterion: "meaning", value: 2 },
      { annotatorId: "a", criterion: "meaning", value: 4 },
    ];
    const { z, constantGroups } = zScoreByAnnotator(rows);
    // A lenient annotator (b: 4, 5) and a strict one (a: 1, 3) get the same standardised spread.
    expect(Array.from(z)).toEqual([-1, 1, -1, 1, -1, 1]);
    expect(constantGroups).toEqual([]);
  });

  it("matches scipy.stats.zscore on an uneven sample", () => {
    const values = [2, 4, 4, 5];
    const { z } = zScoreByAnnotator(values.map((value) => ({ annotatorId: "a", criterion: "c", value })));
    // scipy.stats.zscore([2, 4, 4, 5]) -> [-1.6059101, 0.2294157, 0.2294157, 1.1470787]
    expect(Array.from(z).map((v) => +v.toFixed(7))).toEqual([-1.6059101, 0.2294157, 0.2294157, 1.1470787]);
  });

  it("sets a constant annotator's z-scores to 0 and reports them", () => {
    const rows = [3, 3, 3].map((value) => ({ annotatorId: "flat", criterion: "c", value }));
    const result = zScoreByAnnotator(rows);
    expect(Array.from(result.z)).toEqual([0, 0, 0]);
    expect(result.constantGroups).toEqual([{ annotatorId: "flat", criterion: "c", ratings: 3 }]);
  });
});

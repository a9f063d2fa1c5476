import { describe, expect, it } from "vitest";
import { checkFeasibility } from "./feasibility";
import { checkRankingFeasibility } from "./ranking-feasibility";

const items = (count: number, regular: number) => Array.from({ length: count }, () => ({ regular, checks: 0 }));
const base = { takesCrowd: false, students: 3, cap: null, k: 2, items: items(10, 3) };

describe("checkRankingFeasibility", () => {
  it("needs k annotators per source, not n x k as a pairwise study does", () => {
    expect(checkRankingFeasibility({ ...base, annotators: 2 })).toMatchObject({
      isFeasible: true,
      minimumAnnotators: 2,
    });
    // The same design pairwise needs 3 students x k=2 = 6 annotators.
    expect(checkFeasibility({ ...base, annotators: 2 }).isFeasible).toBe(false);
  });
  it("refuses too few annotators, saying what to change", () => {
    const f = checkRankingFeasibility({ ...base, annotators: 1 });
    expect(f.isFeasible).toBe(false);
    expect(f.message).toContain("k=2 different annotators");
    expect(f.message).toContain("add 1 annotator or lower k to 1");
  });
  it("counts the cap in pairs: a screen of 3 students takes 3", () => {
    const tooSmall = checkRankingFeasibility({ ...base, annotators: 5, cap: 2 });
    expect(tooSmall.isFeasible).toBe(false);
    expect(tooSmall.message).toContain("raise the cap to at least 3");
    // 10 sources x k=2 = 20 screens; a cap of 9 pairs is 3 screens each: 4 annotators give 12.
    const capped = checkRankingFeasibility({ ...base, annotators: 4, cap: 9 });
    expect(capped.isFeasible).toBe(false);
    expect(capped.minimumAnnotators).toBe(7);
    expect(capped.message).toContain("raise the cap to 15 or add 3 annotators");
    expect(checkRankingFeasibility({ ...base, annotators: 7, cap: 9 }).isFeasible).toBe(true);
  });
  it("launches with external participants and says how many are needed", () => {
    const f = checkRankingFeasibility({ ...base, annotators: 0, takesCrowd: true, cap: 3 });
    expect(f).toMatchObject({ isFeasible: true, minimumAnnotators: 20 });
  });
});

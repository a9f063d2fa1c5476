import { describe, expect, it } from "vitest";
import { checkFeasibility, type DesignCounts } from "./feasibility";

const items = (count: number, regular: number, checksOn = 0, checks = 1) =>
  Array.from({ length: count }, (_, i) => ({ regular, checks: i < checksOn ? checks : 0 }));
const design = (d: Partial<DesignCounts>): DesignCounts => ({
  annotators: 4,
  takesCrowd: false,
  cap: null,
  k: 3,
  students: 3,
  items: items(40, 3),
  ...d,
});

describe("checkFeasibility", () => {
  it("refuses when an item needs more different annotators than take part, and says what to change", () => {
    const f = checkFeasibility(design({}));
    expect(f.isFeasible).toBe(false);
    expect(f.minimumAnnotators).toBe(9);
    expect(f.message).toContain(
      "Each item needs 3 students x k=3 = 9 different annotators, since one annotator rates at most one pair of an item; the study has 4 annotators: add 5 annotators, lower k to 1 or rate at most 1 student.",
    );
  });

  it("counts the gold and attention checks on the busiest item", () => {
    // 2 students, k=2, 4 annotators: 4 needed per item, until a check makes an item's pairs 3.
    expect(checkFeasibility(design({ k: 2, students: 2, items: items(10, 2) })).isFeasible).toBe(true);
    const f = checkFeasibility(design({ k: 2, students: 2, items: items(10, 2, 3) }));
    expect(f.isFeasible).toBe(false);
    expect(f.minimumAnnotators).toBe(6);
    expect(f.message).toContain(
      "The busiest item has 3 pairs (2 students + 1 gold/attention check) x k=2 = 6 different annotators",
    );
    expect(f.message).toContain(
      "add 2 annotators, lower k to 1, rate at most 1 student or lower the gold and attention shares.",
    );
  });

  it("refuses when the caps cannot hold all the ratings, with the cap that would", () => {
    // 120 items x 3 students = 360 pairs x k=4 = 1,440 ratings; 40 annotators x cap 10 = 400.
    const f = checkFeasibility(design({ annotators: 40, k: 4, cap: 10, items: items(120, 3) }));
    expect(f.isFeasible).toBe(false);
    expect(f.minimumAnnotators).toBe(144);
    expect(f.message).toBe(
      "This design cannot be completed. A cap of 10 pairs per annotator allows 40 annotators x 10 = 400 ratings; the design needs 360 pairs x k=4 = 1,440: raise the cap to 36 or add 104 annotators.",
    );
    // At the cap it names, the design fits exactly.
    expect(checkFeasibility(design({ annotators: 40, k: 4, cap: 36, items: items(120, 3) })).isFeasible).toBe(true);
    expect(checkFeasibility(design({ annotators: 144, k: 4, cap: 10, items: items(120, 3) })).isFeasible).toBe(true);
  });

  it("does not offer a cap above the number of items, which one-pair-per-item forbids", () => {
    // 5 items x 2 pairs x k=1 = 10 ratings; 3 annotators x cap 2 = 6; a cap of 4 fits.
    const f = checkFeasibility(design({ annotators: 3, k: 1, cap: 2, students: 2, items: items(5, 2) }));
    expect(f.message).toContain(
      "3 annotators x 2 = 6 ratings; the design needs 10 pairs x k=1 = 10: raise the cap to 4 or add 2 annotators.",
    );
    const g = checkFeasibility(design({ annotators: 2, k: 1, cap: 5, students: 2, items: items(5, 2) }));
    expect(g.isFeasible).toBe(true);
    const h = checkFeasibility(design({ annotators: 2, k: 1, cap: 4, students: 2, items: items(5, 2, 5) }));
    // 15 ratings over 2 annotators would need a cap of 8 > 5 items: only more annotators help.
    expect(h.message).toContain("The busiest item has 3 pairs");
    expect(h.message).not.toContain("raise the cap");
  });

  it("the minimum it names is exactly enough: one fewer annotator is refused", () => {
    for (const d of [
      design({}),
      design({ k: 2, students: 2, items: items(10, 2, 3) }),
      design({ annotators: 40, k: 4, cap: 10, items: items(120, 3) }),
      design({ k: 1, cap: 7, students: 1, items: items(33, 1, 4, 2) }),
    ]) {
      const m = checkFeasibility(d).minimumAnnotators;
      expect(checkFeasibility({ ...d, annotators: m }).isFeasible).toBe(true);
      expect(checkFeasibility({ ...d, annotators: m - 1 }).isFeasible).toBe(false);
    }
  });

  it("with external participants states how many must arrive instead of refusing", () => {
    const f = checkFeasibility(design({ takesCrowd: true, annotators: 0, k: 2, cap: 10, items: items(100, 2) }));
    expect(f.isFeasible).toBe(true);
    // 200 pairs x k=2 = 400 ratings at 10 each: 40 participants (more than the 4 an item needs).
    expect(f.minimumAnnotators).toBe(40);
    expect(f.message).toBe(
      "Completing the design needs at least 40 participants in all (200 pairs x k=2 = 400 ratings at a cap of 10 pairs per annotator); 0 take part now, so at least 40 more must arrive through the public link.",
    );
    expect(
      checkFeasibility(design({ takesCrowd: true, annotators: 40, k: 2, cap: 10, items: items(100, 2) })).message,
    ).toBeNull();
  });
});

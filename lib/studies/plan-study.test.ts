import { describe, expect, it } from "vitest";
import { planNonInferiority } from "@/lib/stats";
import { ASSUMED_SPREAD, planStudy } from "./plan-study";

describe("planStudy", () => {
  const design = { margin: 0.05, annotatorsPerPair: 3, maxPairsPerAnnotator: 40, students: 2, criteria: 2 };

  it("says in numbers what a small design lacks", () => {
    const plan = planStudy({ ...design, items: 40, annotators: 3 });
    const expected = planNonInferiority({
      ...ASSUMED_SPREAD,
      expectedRelative: 1,
      margin: 0.05,
      annotatorsPerItem: 3,
      itemsPerAnnotator: 40,
      comparisons: 4,
    });
    if (!plan.needed.ok || !expected.ok) throw new Error("expected a plan");
    expect(plan.needed.items).toBe(expected.items);
    expect(plan.needed.items).toBeGreaterThan(40);
    expect(plan.verdict).toContain(`${expected.items - 40} more items (${expected.items} needed, 40 in the eval set)`);
    expect(plan.verdict).toContain(`more annotators (${expected.annotators} needed, 3 taking part)`);
  });

  it("says so when the design suffices", () => {
    const plan = planStudy({ ...design, items: 5000, annotators: 500 });
    expect(plan.verdict).toMatch(/^The design has enough items and annotators for 80% power at the 5% margin/);
  });

  it("spreads the work over the participants when there is no cap", () => {
    const plan = planStudy({ ...design, maxPairsPerAnnotator: null, items: 100, annotators: 3 });
    const expected = planNonInferiority({
      ...ASSUMED_SPREAD,
      expectedRelative: 1,
      margin: 0.05,
      annotatorsPerItem: 3,
      itemsPerAnnotator: 100,
      comparisons: 4,
    });
    if (!plan.needed.ok || !expected.ok) throw new Error("expected a plan");
    expect(plan.needed).toMatchObject({ items: expected.items, annotators: expected.annotators });
  });
});

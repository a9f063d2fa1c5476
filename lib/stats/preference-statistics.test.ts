import { describe, expect, it } from "vitest";
import { createInterner } from "./interner";
import { preferenceStatistics } from "./preference-statistics";
import type { PreferenceRowInput } from "./schemas";

function rows(): PreferenceRowInput[] {
  const out: PreferenceRowInput[] = [];
  // 8 items; on each, 3 annotators compare the student s with the teacher t, sides alternating.
  // Items 0-5: two prefer the teacher, one the student; items 6-7: one each way plus a tie.
  for (let item = 0; item < 8; item++) {
    const answers = item < 6 ? ["t", "t", "s"] : ["t", "s", "tie"];
    answers.forEach((answer, a) => {
      const teacherLeft = (item + a) % 2 === 0;
      const [leftSystemId, rightSystemId] = teacherLeft ? ["t", "s"] : ["s", "t"];
      const choice = answer === "tie" ? "tie" : (answer === "t") === teacherLeft ? "left" : "right";
      out.push({ itemId: `i${item}`, pairId: `p${item}`, annotatorId: `a${a}`, leftSystemId, rightSystemId, choice });
    });
  }
  return out;
}

describe("preferenceStatistics", () => {
  const preferences = rows();
  const items = createInterner(preferences.map((p) => p.itemId));
  const result = preferenceStatistics({
    preferences,
    systemIds: ["t", "s"],
    teacherSystemId: "t",
    items,
    bootstrap: { seed: 1, samples: 300 },
  });

  it("counts judgments and item majorities from the student's side", () => {
    const figure = result.vsTeacher[0].result;
    if (!figure.ok) throw new Error(figure.reason);
    expect(figure.judgments).toBe(24);
    expect(figure.wins).toMatchObject({ count: 8, share: 8 / 24 });
    expect(figure.ties).toMatchObject({ count: 2, share: 2 / 24 });
    expect(figure.losses).toMatchObject({ count: 14, share: 14 / 24 });
    expect(figure.itemMajority).toEqual({ wins: 0, ties: 2, losses: 6 });
    // Sign test over items: 0 wins, 6 losses -> 2 / 64.
    if (!figure.signTest.ok) throw new Error(figure.signTest.reason);
    expect(figure.signTest.p).toBeCloseTo(2 / 64, 14);
  });

  it("fits Bradley-Terry: the teacher wins 15 of 24 with ties as halves", () => {
    const bt = result.bradleyTerry[0].result;
    if (!bt.ok) throw new Error(bt.reason);
    const [t, s] = bt.systems;
    // Two systems: exp(beta_t - beta_s) = wins_t / wins_s = 15 / 9.
    expect(t.logStrength - s.logStrength).toBeCloseTo(Math.log(15 / 9), 9);
  });

  it("measures position bias over all judgments", () => {
    const bias = result.positionBias[0].result;
    if (!bias.ok) throw new Error(bias.reason);
    expect(bias.left + bias.right + bias.ties).toBe(24);
    expect(bias.ties).toBe(2);
  });

  it("computes agreement with side-swapped answers counted as the same answer", () => {
    const alpha = result.agreement[0].result;
    if (!alpha.ok) throw new Error(alpha.reason);
    expect(alpha.pairableUnits).toBe(8);
    expect(alpha.alpha).toBeLessThan(0.5);
  });
});

describe("preferenceStatistics with a system outside systemIds", () => {
  it("leaves that system's judgments out of Bradley-Terry instead of crediting them to others", () => {
    const preferences = rows();
    // x (not in systemIds) beats s on every item: none of it may count for t or s.
    for (let item = 0; item < 8; item++) {
      preferences.push({
        itemId: `i${item}`,
        annotatorId: "a9",
        leftSystemId: "x",
        rightSystemId: "s",
        choice: "left",
      });
    }
    const result = preferenceStatistics({
      preferences,
      systemIds: ["t", "s"],
      teacherSystemId: "t",
      items: createInterner(preferences.map((p) => p.itemId)),
      bootstrap: { seed: 1, samples: 100 },
    });
    const bt = result.bradleyTerry[0].result;
    if (!bt.ok) throw new Error(bt.reason);
    expect(bt.systems.map((s) => s.systemId)).toEqual(["t", "s"]);
    expect(bt.comparisons).toBe(24);
    expect(bt.systems[0].logStrength - bt.systems[1].logStrength).toBeCloseTo(Math.log(15 / 9), 9);
  });
});

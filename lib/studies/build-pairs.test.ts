import { describe, expect, it } from "vitest";
import { ATTENTION_TEXT, planPairs } from "./build-pairs";
import { isExpectedAnswer } from "@/lib/annotation/schemas";

function seeded(seed = 1) {
  let s = seed;
  return () => ((s = (s * 16807) % 2147483647) - 1) / 2147483646;
}

const items = Array.from({ length: 10 }, (_, i) => ({ id: `item${i}`, source: `Source ${i}.` }));
const outputs = (tag: string, skip: number[] = []) =>
  new Map(
    items.filter((_, i) => !skip.includes(i)).map((it, i) => [it.id, { id: `${tag}-${i}`, text: `${tag} text ${i}` }]),
  );
const keys = ["meaning", "fluency", "lexical_diversity", "syntactic_diversity"];

describe("planPairs", () => {
  it("pairs the teacher with every student on every item that both have", () => {
    const { pairs, skippedItems } = planPairs({
      items,
      teacherOutputs: outputs("t"),
      students: [
        { systemId: "s1", outputs: outputs("a") },
        { systemId: "s2", outputs: outputs("b", [3]) },
      ],
      criteriaKeys: keys,
      goldShare: 0,
      attentionShare: 0,
      random: seeded(),
    });
    expect(pairs).toHaveLength(19);
    expect(pairs.every((p) => p.kind === "REGULAR" && p.shownText === null)).toBe(true);
    expect(skippedItems).toBe(1);
  });

  it("mixes in gold and attention pairs at the study's shares of all pairs", () => {
    const { pairs } = planPairs({
      items,
      teacherOutputs: outputs("t"),
      students: [{ systemId: "s1", outputs: outputs("a") }],
      criteriaKeys: keys,
      goldShare: 0.2,
      attentionShare: 0.2,
      random: seeded(),
    });
    // 10 regular are 60% of the total; gold and attention 20% each.
    const byKind = (k: string) => pairs.filter((p) => p.kind === k);
    expect(byKind("REGULAR")).toHaveLength(10);
    expect(byKind("GOLD")).toHaveLength(3);
    expect(byKind("ATTENTION")).toHaveLength(3);
    for (const g of byKind("GOLD")) expect(g.shownText).toBe(items.find((i) => i.id === g.itemId)!.source);
    for (const a of byKind("ATTENTION")) {
      expect(a.shownText).toBe(ATTENTION_TEXT);
      // Neither the wording nor the known answer points at the other side (the teacher's).
      expect(a.expected).not.toHaveProperty("preference");
    }
    expect(ATTENTION_TEXT).not.toMatch(/other|left|right|prefer/i);
    // At most one gold pair per item and student (the table's unique key).
    expect(new Set(byKind("GOLD").map((g) => g.itemId)).size).toBe(3);
  });

  it("spreads gold and attention checks over items, so no item has more pairs than it must", () => {
    // 10 items x 2 students, checks 40% of all: 7 gold + 7 attention over 10 items, at most 2 on any.
    for (let seed = 1; seed <= 20; seed++) {
      const { pairs } = planPairs({
        items,
        teacherOutputs: outputs("t"),
        students: [
          { systemId: "s1", outputs: outputs("a") },
          { systemId: "s2", outputs: outputs("b") },
        ],
        criteriaKeys: keys,
        goldShare: 0.2,
        attentionShare: 0.2,
        random: seeded(seed),
      });
      const checks = pairs.filter((p) => p.kind !== "REGULAR");
      expect(checks).toHaveLength(14);
      const perItem = new Map<string, number>();
      for (const c of checks) perItem.set(c.itemId, (perItem.get(c.itemId) ?? 0) + 1);
      expect(Math.max(...perItem.values())).toBe(2);
      expect(perItem.size).toBe(10);
    }
  });

  it("never makes a gold copy where the teacher itself copied the source", () => {
    const teacher = new Map(items.map((it) => [it.id, { id: `t-${it.id}`, text: it.source }]));
    const { pairs } = planPairs({
      items,
      teacherOutputs: teacher,
      students: [{ systemId: "s1", outputs: outputs("a") }],
      criteriaKeys: keys,
      goldShare: 0.3,
      attentionShare: 0,
      random: seeded(),
    });
    expect(pairs.filter((p) => p.kind === "GOLD")).toHaveLength(0);
  });
});

describe("isExpectedAnswer", () => {
  const gold = { scores: { lexical_diversity: { min: 1, max: 1 } }, preference: "TEACHER" };
  const scores = (studentLex: number, side: "left" | "right") => ({
    lexical_diversity: side === "left" ? { left: studentLex, right: 4 } : { left: 4, right: studentLex },
  });
  it("reads the student side through the assignment's side order", () => {
    expect(isExpectedAnswer(gold, { scores: scores(1, "right"), preference: "LEFT", teacherOnLeft: true })).toBe(true);
    expect(isExpectedAnswer(gold, { scores: scores(1, "left"), preference: "RIGHT", teacherOnLeft: false })).toBe(true);
  });
  it("is wrong when the copy gets a higher diversity, or the copy or a tie is preferred", () => {
    expect(isExpectedAnswer(gold, { scores: scores(3, "right"), preference: "LEFT", teacherOnLeft: true })).toBe(false);
    expect(isExpectedAnswer(gold, { scores: scores(1, "right"), preference: "RIGHT", teacherOnLeft: true })).toBe(
      false,
    );
    expect(isExpectedAnswer(gold, { scores: scores(1, "right"), preference: "TIE", teacherOnLeft: true })).toBe(false);
  });
  it("is wrong for a malformed expectation rather than throwing", () => {
    expect(isExpectedAnswer({ scores: "x" }, { scores: {}, preference: "TIE", teacherOnLeft: true })).toBe(false);
  });
});

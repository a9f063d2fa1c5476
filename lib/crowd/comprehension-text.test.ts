import { describe, expect, it } from "vitest";
import { comprehensionToText, parseComprehensionText } from "./comprehension-text";

describe("the comprehension check as text", () => {
  it("reads blocks of a question and options, the right one marked with *, and writes them back the same", () => {
    const text = "How many texts?\n- One\n* Two\n\nWhat does 1 mean?\n* Very poor\n- Perfect";
    const qs = parseComprehensionText(text);
    expect(qs).toEqual([
      { question: "How many texts?", options: ["One", "Two"], answer: 1 },
      { question: "What does 1 mean?", options: ["Very poor", "Perfect"], answer: 0 },
    ]);
    expect(comprehensionToText(qs)).toBe(text);
  });

  it("says which question is wrong and how to fix it", () => {
    expect(() => parseComprehensionText("Q?\n- a\n- b")).toThrow(/Question 1 .*exactly one option with "\* "/);
    expect(() => parseComprehensionText("Q?\n* a")).toThrow(/at least two options/);
    expect(() => parseComprehensionText("Q?\n* a\n- b\n\nR?\na\n* b")).toThrow(/Question 2 .*start each option/);
    expect(parseComprehensionText("  \n\n")).toEqual([]);
  });
});

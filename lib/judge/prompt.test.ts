import { describe, expect, it } from "vitest";
import { buildJudgePrompt, JudgeReplyError, parseJudgeReply } from "./prompt";

const keys = ["meaning", "fluency"];
const reply = (o: unknown) => JSON.stringify(o);

describe("judge prompt and reply", () => {
  it("shows the source and both paraphrases and no system names", () => {
    const p = buildJudgePrompt({
      source: "S.",
      a: "One.",
      b: "Two.",
      criteria: [{ key: "meaning", label: "Meaning", description: "same meaning" }],
    });
    expect(p).toContain("Source: S.");
    expect(p).toContain("Paraphrase A: One.");
    expect(p).toContain("Paraphrase B: Two.");
    expect(p).toContain('"meaning" (Meaning): same meaning');
  });

  it("reads bare, fenced and embedded JSON into left/right scores", () => {
    const body = { A: { meaning: 5, fluency: "4" }, B: { meaning: 2, fluency: 3 }, preference: "a" };
    const expected = { scores: { meaning: { left: 5, right: 2 }, fluency: { left: 4, right: 3 } }, preference: "LEFT" };
    expect(parseJudgeReply(reply(body), keys)).toEqual(expected);
    expect(parseJudgeReply("```json\n" + reply(body) + "\n```", keys)).toEqual(expected);
    expect(parseJudgeReply("Here you go: " + reply({ ...body, preference: "tie" }) + " Thanks", keys).preference).toBe(
      "TIE",
    );
  });

  it("calls a refusal a refusal", () => {
    const err = (() => {
      try {
        parseJudgeReply("I'm unable to help with that request.", keys);
      } catch (e) {
        return e as JudgeReplyError;
      }
    })();
    expect(err?.kind).toBe("refused");
  });

  it.each([
    ["a missing criterion", reply({ A: { meaning: 5 }, B: { meaning: 2, fluency: 3 }, preference: "A" }), /A.fluency/],
    [
      "a score out of range",
      reply({ A: { meaning: 9, fluency: 4 }, B: { meaning: 2, fluency: 3 }, preference: "A" }),
      /A.meaning/,
    ],
    [
      "an unknown preference",
      reply({ A: { meaning: 5, fluency: 4 }, B: { meaning: 2, fluency: 3 }, preference: "C" }),
      /preference/,
    ],
    ["broken JSON", '{"A": {"meaning": 5,', /no JSON object|not valid JSON/],
  ])("rejects %s, saying what is wrong", (_label, content, message) => {
    expect(() => parseJudgeReply(content, keys)).toThrow(message);
  });
});

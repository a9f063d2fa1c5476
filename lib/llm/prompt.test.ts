import { describe, expect, it } from "vitest";
import { DEFAULT_PARAPHRASE_PROMPT_TEMPLATE, renderPrompt, validatePromptTemplate } from "./prompt";

describe("prompt", () => {
  it("fills n and the sentence into the default template", () => {
    const prompt = renderPrompt(DEFAULT_PARAPHRASE_PROMPT_TEMPLATE, { n: 5, sentence: "It rained all day." });
    expect(prompt).toContain("Generate 5 distinct paraphrases");
    expect(prompt).toContain("numbered list");
    expect(prompt.endsWith("Sentence: It rained all day.")).toBe(true);
  });

  it("inserts the sentence literally, even with $ patterns or placeholders in it", () => {
    expect(renderPrompt("{{ n }}: {{sentence}}", { n: 2, sentence: "Cost: $& {{n}}" })).toBe("2: Cost: $& {{n}}");
  });

  it("explains what is wrong with a custom template", () => {
    expect(validatePromptTemplate(DEFAULT_PARAPHRASE_PROMPT_TEMPLATE)).toEqual([]);
    expect(validatePromptTemplate("Paraphrase {{text}} {{count}} times")).toEqual([
      "The prompt template must contain {{sentence}} where the source sentence goes.",
      "Unknown placeholders {{text}}, {{count}}; only {{n}} and {{sentence}} are filled in.",
    ]);
  });
});

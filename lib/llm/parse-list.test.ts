import { describe, expect, it } from "vitest";
import { NoListFoundError, parseParaphraseList } from "./parse-list";

const source = "The meeting was postponed because of the storm.";

describe("parseParaphraseList", () => {
  it.each([
    ["numbered with dots", "1. A storm delayed the meeting.\n2. The meeting was put off due to the storm.", "numbered"],
    [
      "numbered with parens",
      "1) A storm delayed the meeting.\n2) The meeting was put off due to the storm.",
      "numbered",
    ],
    [
      "numbered in parentheses",
      "(1) A storm delayed the meeting.\n(2) The meeting was put off due to the storm.",
      "numbered",
    ],
    ["dash bullets", "- A storm delayed the meeting.\n- The meeting was put off due to the storm.", "bulleted"],
    ["star bullets", "* A storm delayed the meeting.\n* The meeting was put off due to the storm.", "bulleted"],
    ["dot bullets", "• A storm delayed the meeting.\n• The meeting was put off due to the storm.", "bulleted"],
    ["JSON array", '["A storm delayed the meeting.", "The meeting was put off due to the storm."]', "json"],
    [
      "fenced JSON",
      'Sure!\n```json\n["A storm delayed the meeting.",\n "The meeting was put off due to the storm."]\n```',
      "json",
    ],
    [
      "JSON object",
      '{"paraphrases": ["A storm delayed the meeting.", "The meeting was put off due to the storm."]}',
      "json",
    ],
    ["one per line", "A storm delayed the meeting.\r\nThe meeting was put off due to the storm.", "lines"],
  ])("reads %s", (_name, reply, format) => {
    expect(parseParaphraseList(reply, { source })).toEqual({
      paraphrases: ["A storm delayed the meeting.", "The meeting was put off due to the storm."],
      format,
      dropped: { duplicates: 0, copiesOfSource: 0 },
    });
  });

  it("skips an introduction and strips quotes and bold", () => {
    const reply =
      "Here are 3 paraphrases:\n\n1. \"A storm delayed the meeting.\"\n2. **“The storm forced a delay.”**\n3. 'It was put off.'";
    expect(parseParaphraseList(reply).paraphrases).toEqual([
      "A storm delayed the meeting.",
      "The storm forced a delay.",
      "It was put off.",
    ]);
  });

  it("keeps quotation marks that are part of the sentence", () => {
    expect(
      parseParaphraseList('1. "Wait," she said, "the storm is coming."\n2. She told us to wait.').paraphrases[0],
    ).toBe('"Wait," she said, "the storm is coming."');
  });

  it("drops duplicates and copies of the source, ignoring case and spacing", () => {
    const reply = `1. A storm delayed the meeting.\n2. a storm  delayed the MEETING.\n3. ${source.toUpperCase()}\n4. "${source}"\n5. It was put off.`;
    expect(parseParaphraseList(reply, { source })).toEqual({
      paraphrases: ["A storm delayed the meeting.", "It was put off."],
      format: "numbered",
      dropped: { duplicates: 1, copiesOfSource: 2 },
    });
  });

  it("does not read a decimal number as a list marker", () => {
    const reply = "1.5 million people came.\n2.5 million stayed home.";
    expect(parseParaphraseList(reply)).toMatchObject({
      format: "lines",
      paraphrases: ["1.5 million people came.", "2.5 million stayed home."],
    });
  });

  it("throws a typed 'no list found' error for a refusal", () => {
    const reply = "I'm sorry, but I can't help with that.";
    expect(() => parseParaphraseList(reply, { source, expectedCount: 5 })).toThrow(NoListFoundError);
    try {
      parseParaphraseList(reply, { source, expectedCount: 5 });
    } catch (err) {
      expect((err as NoListFoundError).code).toBe("no_list_found");
      expect((err as Error).message).toBe(
        `No list found in the teacher's reply: "${reply}". Check that the prompt asks for a numbered list.`,
      );
    }
    expect(() => parseParaphraseList("   ")).toThrow(NoListFoundError);
  });

  it("accepts a single plain line when one paraphrase was asked for", () => {
    expect(parseParaphraseList("A storm delayed the meeting.", { expectedCount: 1 })).toMatchObject({
      format: "lines",
      paraphrases: ["A storm delayed the meeting."],
    });
  });
});

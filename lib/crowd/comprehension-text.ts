import { ValidationError } from "@/lib/errors";
import type { CrowdSettings } from "./schemas";

type Question = CrowdSettings["comprehension"][number];

/**
 * The comprehension check as a researcher writes it: blocks separated by a blank line, the
 * question on the first line, then one option per line, "* " before the right one and "- "
 * before the others.
 */
export function parseComprehensionText(text: string): Question[] {
  const blocks = text
    .replace(/\r\n?/g, "\n")
    .split(/\n\s*\n/)
    .map((b) => b.trim())
    .filter(Boolean);
  return blocks.map((block, i) => {
    const [question, ...lines] = block.split("\n").map((l) => l.trim());
    const where = `Question ${i + 1} ("${question.slice(0, 40)}")`;
    const options = lines.map((l) => {
      const m = /^([*-])\s+(.+)$/.exec(l);
      if (!m)
        throw new ValidationError(
          `${where}: start each option with "* " (the right one) or "- ", not "${l.slice(0, 30)}"`,
        );
      return { text: m[2], isRight: m[1] === "*" };
    });
    if (options.length < 2) throw new ValidationError(`${where}: give at least two options`);
    const right = options.filter((o) => o.isRight).length;
    if (right !== 1)
      throw new ValidationError(`${where}: mark exactly one option with "* " as the right answer (found ${right})`);
    return { question, options: options.map((o) => o.text), answer: options.findIndex((o) => o.isRight) };
  });
}

/** The check written back in the same form, for editing. */
export function comprehensionToText(questions: Question[]): string {
  return questions
    .map((q) => [q.question, ...q.options.map((o, j) => `${j === q.answer ? "*" : "-"} ${o}`)].join("\n"))
    .join("\n\n");
}

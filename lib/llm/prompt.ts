/**
 * Default teacher prompt. Jayawardena & Yapa (2024) distil students from a chat LLM asked for
 * several diverse paraphrases per sentence, varying syntax as well as wording, at temperature 0
 * for reproducible references. This wording is ours (the paper does not print its prompt);
 * systems may replace it with their own template using the same placeholders.
 */
export const DEFAULT_PARAPHRASE_PROMPT_TEMPLATE = [
  "Generate {{n}} distinct paraphrases of the sentence below.",
  "Each paraphrase must keep the full meaning of the original sentence but differ from it and from the other paraphrases in wording and sentence structure.",
  "Return only a numbered list with one paraphrase per line (1. ... 2. ...), with no introduction or explanation.",
  "",
  "Sentence: {{sentence}}",
].join("\n");

export const DEFAULT_TEACHER_TEMPERATURE = 0;
export const DEFAULT_PARAPHRASE_COUNT = 5;
export const MAX_PARAPHRASE_COUNT = 20;

const PLACEHOLDER_RE = /\{\{\s*([a-zA-Z_]+)\s*\}\}/g;
const KNOWN_PLACEHOLDERS = new Set(["n", "sentence"]);

/** Fills {{n}} and {{sentence}} in one pass, so a sentence containing "{{n}}" is left as written. */
export function renderPrompt(template: string, { n, sentence }: { n: number; sentence: string }): string {
  return template.replace(PLACEHOLDER_RE, (match, name: string) => {
    if (name === "n") return String(n);
    if (name === "sentence") return sentence;
    return match;
  });
}

/** Messages a user must fix before a template can be saved; empty when the template is usable. */
export function validatePromptTemplate(template: string): string[] {
  const problems: string[] = [];
  const names = [...template.matchAll(PLACEHOLDER_RE)].map((m) => m[1]);
  if (!names.includes("sentence")) {
    problems.push("The prompt template must contain {{sentence}} where the source sentence goes.");
  }
  const unknown = [...new Set(names.filter((name) => !KNOWN_PLACEHOLDERS.has(name)))];
  if (unknown.length > 0) {
    problems.push(
      `Unknown placeholder${unknown.length > 1 ? "s" : ""} ${unknown.map((u) => `{{${u}}}`).join(", ")}; only {{n}} and {{sentence}} are filled in.`,
    );
  }
  return problems;
}

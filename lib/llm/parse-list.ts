export type ListFormat = "json" | "numbered" | "bulleted" | "lines";

export interface ParsedParaphraseList {
  paraphrases: string[];
  format: ListFormat;
  dropped: { duplicates: number; copiesOfSource: number };
}

/** Thrown when a teacher reply holds no list of paraphrases (a refusal, an explanation...). */
export class NoListFoundError extends Error {
  readonly code = "no_list_found" as const;
  constructor(readonly reply: string) {
    super(
      `No list found in the teacher's reply: "${reply.length > 120 ? `${reply.slice(0, 119)}…` : reply}". Check that the prompt asks for a numbered list.`,
    );
    this.name = "NoListFoundError";
  }
}

// Whitespace after the marker keeps "1.5 million people came" from reading as item "5 million...".
const NUMBERED_RE = /^\s*(?:\(\d{1,3}\)|\d{1,3}[.):])\s+(.*)$/;
const BULLETED_RE = /^\s*[-*•]\s+(.*)$/;
const FENCE_RE = /```[a-zA-Z]*\s*\n?([\s\S]*?)```/;
const QUOTE_PAIRS: Array<[string, string]> = [
  ['"', '"'],
  ["'", "'"],
  ["“", "”"],
  ["‘", "’"],
  ["«", "»"],
  ["„", "“"],
  ["`", "`"],
];

/**
 * Reads paraphrases from a teacher reply: a JSON array (bare or in a ``` fence), a numbered or
 * bulleted list, or one paraphrase per line. Drops duplicates (ignoring case and spacing) and
 * verbatim copies of the source, since neither is a paraphrase.
 */
export function parseParaphraseList(
  reply: string,
  options: { source?: string; expectedCount?: number } = {},
): ParsedParaphraseList {
  const extracted = extractItems(reply.replace(/\r\n?/g, "\n"), options.expectedCount ?? 0);
  if (!extracted) throw new NoListFoundError(reply.trim());

  const sourceKey = options.source === undefined ? null : comparisonKey(options.source);
  const seen = new Set<string>();
  const paraphrases: string[] = [];
  const dropped = { duplicates: 0, copiesOfSource: 0 };
  for (const raw of extracted.items) {
    const text = cleanItem(raw);
    if (text === "") continue;
    const key = comparisonKey(text);
    if (key === sourceKey) dropped.copiesOfSource++;
    else if (seen.has(key)) dropped.duplicates++;
    else {
      seen.add(key);
      paraphrases.push(text);
    }
  }
  return { paraphrases, format: extracted.format, dropped };
}

function extractItems(reply: string, expectedCount: number): { items: string[]; format: ListFormat } | null {
  const json = fromJson(reply);
  if (json) return { items: json, format: "json" };
  const fenced = FENCE_RE.exec(reply)?.[1];
  const body = fenced ?? reply;
  const lines = body.split("\n").filter((l) => l.trim() !== "");

  const numbered = lines.map((l) => NUMBERED_RE.exec(l)?.[1]).filter((x): x is string => x !== undefined);
  if (numbered.length > 0) return { items: numbered, format: "numbered" };
  const bulleted = lines.map((l) => BULLETED_RE.exec(l)?.[1]).filter((x): x is string => x !== undefined);
  if (bulleted.length > 0) return { items: bulleted, format: "bulleted" };

  // Plain lines are a list only if there are several (an introduction such as "Here they are:" is
  // not one of them), or one when one was asked for; a lone sentence is usually a refusal.
  const plain = lines.filter((l) => !/:\s*$/.test(l.trim()));
  if (plain.length >= 2 || (plain.length === 1 && expectedCount === 1)) return { items: plain, format: "lines" };
  return null;
}

function fromJson(reply: string): string[] | null {
  const candidates = [FENCE_RE.exec(reply)?.[1], reply, sliceBetween(reply, "[", "]"), sliceBetween(reply, "{", "}")];
  for (const candidate of candidates) {
    // Only an array or an object can hold a list: anything else is not tried (a numbered reply
    // made JSON.parse throw, and a thrown SyntaxError per reply was a visible share of a worker's CPU).
    const text = candidate?.trim();
    if (!text || (text[0] !== "[" && text[0] !== "{")) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      continue;
    }
    const list = Array.isArray(value) ? value : arrayInObject(value);
    if (list && list.length > 0 && list.every((v) => typeof v === "string")) return list as string[];
  }
  return null;
}

/** JSON-mode models often wrap the list: {"paraphrases": [...]}. */
function arrayInObject(value: unknown): unknown[] | null {
  if (typeof value !== "object" || value === null) return null;
  const arrays = Object.values(value).filter(Array.isArray);
  return arrays.length === 1 ? arrays[0] : null;
}

function sliceBetween(text: string, open: string, close: string): string | null {
  const start = text.indexOf(open);
  const end = text.lastIndexOf(close);
  return start !== -1 && end > start ? text.slice(start, end + 1) : null;
}

function cleanItem(raw: string): string {
  let text = raw
    .trim()
    .replace(/^\*\*(.*)\*\*$/, "$1")
    .trim();
  for (let changed = true; changed;) {
    changed = false;
    for (const [open, close] of QUOTE_PAIRS) {
      if (text.length < 2 || !text.startsWith(open) || !text.endsWith(close)) continue;
      const inner = text.slice(open.length, -close.length);
      // '"Wait," she said, "go."' starts and ends with quotes that are not a pair around it.
      if (inner.includes(open) || inner.includes(close)) continue;
      text = inner.trim();
      changed = true;
    }
  }
  return text;
}

function comparisonKey(text: string): string {
  return cleanItem(text).toLowerCase().replace(/\s+/g, " ").trim();
}

/** Reply scripts for the fake chat server; see fake-chat-server.ts for how they are used. */
export type FakeListFormat =
  "numbered" | "numbered-paren" | "numbered-parens" | "bulleted" | "bulleted-dot" | "json" | "json-fenced" | "lines";

export type FakeReply =
  /** A chat completion whose content lists paraphrases (deterministic ones when none are given). */
  | { type: "paraphrases"; format?: FakeListFormat; paraphrases?: string[]; delayMs?: number }
  /** A chat completion with exactly this content. */
  | { type: "content"; content: string; delayMs?: number }
  /** A chat completion with a refusal and no list. */
  | { type: "no-list"; delayMs?: number }
  /** HTTP 429; retryAfter is the Retry-After header (seconds or an HTTP-date), retryAfterMs the retry-after-ms one. */
  | { type: "rate-limit"; retryAfter?: string | number; retryAfterMs?: number; message?: string }
  /** Any HTTP error with an OpenAI-style body {error: {message, type, code}}. */
  | {
      type: "error";
      status: number;
      message?: string;
      errorType?: string;
      code?: string | null;
      headers?: Record<string, string>;
    }
  /** Never answers; the client's time-out has to end it. */
  | { type: "hang" }
  /** HTTP 200 with a JSON content type and a truncated body. */
  | { type: "malformed-json" };

export const NO_LIST_REPLY = "I'm sorry, but I can't help with rephrasing that sentence.";

const OPENERS = [
  "In other words",
  "Put differently",
  "Said another way",
  "To rephrase",
  "Simply put",
  "Stated otherwise",
  "Phrased differently",
  "Expressed another way",
];

/** Deterministic stand-in paraphrases: the same sentence and n always give the same list. */
export function deterministicParaphrases(sentence: string, n: number): string[] {
  const base = sentence.trim().replace(/[.!?]+$/, "");
  const lowered = base.charAt(0).toLowerCase() + base.slice(1);
  return Array.from({ length: n }, (_, i) => {
    const opener = OPENERS[i % OPENERS.length];
    const round = Math.floor(i / OPENERS.length);
    return `${opener}${round ? ` (${round + 1})` : ""}, ${lowered}.`;
  });
}

export function formatList(items: string[], format: FakeListFormat): string {
  switch (format) {
    case "numbered":
      return items.map((p, i) => `${i + 1}. ${p}`).join("\n");
    case "numbered-paren":
      return items.map((p, i) => `${i + 1}) ${p}`).join("\n");
    case "numbered-parens":
      return items.map((p, i) => `(${i + 1}) ${p}`).join("\n");
    case "bulleted":
      return items.map((p) => `- ${p}`).join("\n");
    case "bulleted-dot":
      return items.map((p) => `• "${p}"`).join("\n");
    case "json":
      return JSON.stringify(items);
    case "json-fenced":
      return `Here are the paraphrases:\n\`\`\`json\n${JSON.stringify(items, null, 2)}\n\`\`\``;
    case "lines":
      return items.join("\n");
  }
}

/** The sentence and count a prompt asks for, read loosely so custom templates mostly work too. */
export function readPrompt(prompt: string): { sentence: string; n: number } {
  const marker = prompt.lastIndexOf("Sentence:");
  const sentence =
    marker !== -1
      ? prompt.slice(marker + "Sentence:".length).trim()
      : (
          prompt
            .split("\n")
            .filter((l) => l.trim() !== "")
            .pop() ?? ""
        ).trim();
  const n = Number(/\b(\d{1,2})\b/.exec(prompt)?.[1] ?? 3);
  return { sentence, n: Math.min(Math.max(n, 1), 20) };
}

/**
 * A reply forced by a marker in the prompt, for end-to-end tests that cannot script the server:
 * "[[fake:no-list]]", "[[fake:rate-limit]]", "[[fake:hang]]", "[[fake:malformed-json]]",
 * "[[fake:error:503]]", "[[fake:json]]" (any FakeListFormat).
 */
export function replyFromMarker(prompt: string): FakeReply | null {
  const m = /\[\[fake:([a-z-]+)(?::(\d{3}))?\]\]/.exec(prompt);
  if (!m) return null;
  const [, kind, status] = m;
  if (kind === "no-list" || kind === "hang" || kind === "malformed-json") return { type: kind };
  if (kind === "rate-limit") return { type: "rate-limit", retryAfter: 1 };
  if (kind === "error") return { type: "error", status: Number(status ?? 500) };
  const formats: FakeListFormat[] = [
    "numbered",
    "numbered-paren",
    "numbered-parens",
    "bulleted",
    "bulleted-dot",
    "json",
    "json-fenced",
    "lines",
  ];
  return formats.includes(kind as FakeListFormat) ? { type: "paraphrases", format: kind as FakeListFormat } : null;
}

export function errorTypeFor(status: number): string {
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 429) return "rate_limit_error";
  if (status >= 500) return "server_error";
  return "invalid_request_error";
}

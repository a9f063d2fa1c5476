import { z } from "zod";

export interface JudgeCriterion {
  key: string;
  label: string;
  description: string;
}

/**
 * The judge sees what an annotator sees: the source and two paraphrases, A and B, with no hint
 * of which system wrote which, and the study's own criteria. It answers in JSON.
 */
export function buildJudgePrompt({
  source,
  a,
  b,
  criteria,
}: {
  source: string;
  a: string;
  b: string;
  criteria: JudgeCriterion[];
}): string {
  const scale = criteria
    .map((c) => `- "${c.key}" (${c.label}): ${c.description || c.label}. 1 = worst, 5 = best.`)
    .join("\n");
  const example = Object.fromEntries(criteria.map((c) => [c.key, 3]));
  return [
    "You are rating two paraphrases of the same source sentence, as a careful human annotator would.",
    "",
    `Source: ${source}`,
    `Paraphrase A: ${a}`,
    `Paraphrase B: ${b}`,
    "",
    "Rate each paraphrase from 1 to 5 on each criterion:",
    scale,
    "",
    'Then say which paraphrase is better overall: "A", "B" or "tie".',
    "Answer with JSON only, in exactly this shape:",
    JSON.stringify({ A: example, B: example, preference: "A" }),
  ].join("\n");
}

export class JudgeReplyError extends Error {
  constructor(
    message: string,
    readonly kind: "refused" | "malformed",
  ) {
    super(message);
    this.name = "JudgeReplyError";
  }
}

const REFUSAL = /\b(i can(?:no|')t|i am unable|i'm unable|i won't|as an ai)\b/i;

/** Parses the judge's JSON (bare, fenced, or inside prose); scores come back in left/right terms. */
export function parseJudgeReply(content: string, criteriaKeys: string[]) {
  const match = content.match(/```(?:json)?\s*([\s\S]*?)```/i)?.[1] ?? content.match(/\{[\s\S]*\}/)?.[0];
  if (!match) {
    throw new JudgeReplyError(
      REFUSAL.test(content) ? "The judge refused to rate this pair" : "The judge's reply holds no JSON object",
      REFUSAL.test(content) ? "refused" : "malformed",
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(match);
  } catch {
    throw new JudgeReplyError("The judge's reply is not valid JSON", "malformed");
  }
  const score = z.coerce.number().int().min(1).max(5);
  const side = z.object(Object.fromEntries(criteriaKeys.map((k) => [k, score])));
  const parsed = z
    .object({
      A: side,
      B: side,
      preference: z
        .string()
        .transform((p) => p.trim().toUpperCase())
        .pipe(z.enum(["A", "B", "TIE"])),
    })
    .safeParse(json);
  if (!parsed.success) {
    throw new JudgeReplyError(
      `The judge's JSON does not fit: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
      "malformed",
    );
  }
  const { A, B, preference } = parsed.data;
  const scores = Object.fromEntries(criteriaKeys.map((k) => [k, { left: A[k] as number, right: B[k] as number }]));
  return { scores, preference: ({ A: "LEFT", B: "RIGHT", TIE: "TIE" } as const)[preference] };
}

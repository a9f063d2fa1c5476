import { z } from "zod";

/**
 * The known answer of a GOLD or ATTENTION pair, stored in Pair.expected. Sides are named by
 * system role ("student" is the side whose text is Pair.shownText), because left and right are
 * only fixed per assignment.
 */
export const ExpectedAnswerSchema = z.object({
  /** Criteria whose score on the student side must fall within [min, max]. */
  scores: z.record(z.string(), z.object({ min: z.number(), max: z.number() })).default({}),
  /** The side the preference must favour (a tie is wrong). */
  preference: z.enum(["TEACHER", "STUDENT"]).optional(),
});
export type ExpectedAnswer = z.infer<typeof ExpectedAnswerSchema>;

export type Scores = Record<string, { left: number; right: number }>;

/** Whether a rating gives a pair's known answer, read through the assignment's side order. */
export function isExpectedAnswer(
  expected: unknown,
  rating: { scores: Scores; preference: "LEFT" | "TIE" | "RIGHT"; teacherOnLeft: boolean },
): boolean {
  const parsed = ExpectedAnswerSchema.safeParse(expected);
  if (!parsed.success) return false;
  const studentSide = rating.teacherOnLeft ? "right" : "left";
  for (const [key, range] of Object.entries(parsed.data.scores)) {
    const score = rating.scores[key]?.[studentSide];
    if (typeof score !== "number" || score < range.min || score > range.max) return false;
  }
  const want = parsed.data.preference;
  if (want) {
    const teacherPref = rating.teacherOnLeft ? "LEFT" : "RIGHT";
    const studentPref = rating.teacherOnLeft ? "RIGHT" : "LEFT";
    if (rating.preference !== (want === "TEACHER" ? teacherPref : studentPref)) return false;
  }
  return true;
}

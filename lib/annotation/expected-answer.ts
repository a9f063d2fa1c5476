import { z } from "zod";
import { unblind, type Preference, type StoredScores } from "./sides";

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

/** Whether a rating gives a pair's known answer, read through the assignment's side order. */
export function isExpectedAnswer(
  expected: unknown,
  rating: { scores: StoredScores; preference: Preference; teacherOnLeft: boolean },
): boolean {
  const parsed = ExpectedAnswerSchema.safeParse(expected);
  if (!parsed.success) return false;
  const { scores, preferred } = unblind(rating);
  for (const [key, range] of Object.entries(parsed.data.scores)) {
    const score = scores[key]?.student;
    if (typeof score !== "number" || score < range.min || score > range.max) return false;
  }
  const want = parsed.data.preference;
  if (want && preferred !== (want === "TEACHER" ? "teacher" : "student")) return false;
  return true;
}

import { z } from "zod";

/**
 * The one vocabulary for a rating's sides. An annotator sees a pair as "left" and "right"; which
 * of them is the teacher is fixed per assignment (`teacherOnLeft`, chosen at random when the pair
 * is claimed) and stored with the rating. Every place that shows a pair (blinding) or reads a
 * rating back as teacher and student (un-blinding) goes through these functions, so that no
 * figure, export or check can read a side the wrong way round. Pure: safe in the browser too.
 */
export type Side = "left" | "right";
export type Role = "teacher" | "student";

export const PreferenceSchema = z.enum(["LEFT", "TIE", "RIGHT"]);
/** What an annotator (or the judge) answers: the side they prefer, or a tie. */
export type Preference = z.infer<typeof PreferenceSchema>;

/** One criterion's scores as stored: by side, as shown. A side may be missing in old or partial data. */
export const StoredSideScoresSchema = z.object({ left: z.number().optional(), right: z.number().optional() });
/** A rating's `scores` JSON column: criterion key -> scores by side. */
export const StoredScoresSchema = z.record(z.string(), StoredSideScoresSchema);
export type StoredScores = z.infer<typeof StoredScoresSchema>;

/** Scores as an annotator submits them: every criterion, both sides, 1-5. */
const score = z.number().int().min(1).max(5);
export const SubmittedScoresSchema = z.record(z.string(), z.object({ left: score, right: score }));
export type SidedScores = z.infer<typeof SubmittedScoresSchema>;

/** Scores by role, after un-blinding. */
export type RoleScores = Record<string, { teacher?: number; student?: number }>;

/** The side a role was shown on. */
export function sideOf(role: Role, teacherOnLeft: boolean): Side {
  return (role === "teacher") === teacherOnLeft ? "left" : "right";
}

/** The role shown on a side. */
export function roleOf(side: Side, teacherOnLeft: boolean): Role {
  return (side === "left") === teacherOnLeft ? "teacher" : "student";
}

/** Blinding: place the teacher's and the student's values on their sides. */
export function placeSides<T>(teacherOnLeft: boolean, teacher: T, student: T): { left: T; right: T } {
  return teacherOnLeft ? { left: teacher, right: student } : { left: student, right: teacher };
}

/** Un-blinding a preference: the preferred role, or null for a tie. */
export function preferredRole(preference: Preference, teacherOnLeft: boolean): Role | null {
  return preference === "TIE" ? null : roleOf(preference === "LEFT" ? "left" : "right", teacherOnLeft);
}

/** +1 when the student is preferred, -1 when the teacher is, 0 for a tie. */
export function studentPreferenceSign(preference: Preference, teacherOnLeft: boolean): -1 | 0 | 1 {
  const role = preferredRole(preference, teacherOnLeft);
  return role === null ? 0 : role === "student" ? 1 : -1;
}

/** Blinding a preference: the side that holds the preferred role (null = tie). */
export function preferenceFor(role: Role | null, teacherOnLeft: boolean): Preference {
  return role === null ? "TIE" : sideOf(role, teacherOnLeft) === "left" ? "LEFT" : "RIGHT";
}

/** Un-blinding scores: criterion -> teacher's and student's score. */
export function unblindScores(scores: StoredScores, teacherOnLeft: boolean): RoleScores {
  const out: RoleScores = {};
  for (const [key, s] of Object.entries(scores)) {
    const { left: teacher, right: student } = placeSides(teacherOnLeft, s.left, s.right);
    out[key] = { teacher, student };
  }
  return out;
}

/** Blinding scores: criterion -> scores by the side each role was shown on. */
export function blindScores(
  scores: Record<string, { teacher: number; student: number }>,
  teacherOnLeft: boolean,
): SidedScores {
  const out: SidedScores = {};
  for (const [key, s] of Object.entries(scores)) out[key] = placeSides(teacherOnLeft, s.teacher, s.student);
  return out;
}

/** A stored rating read back by role. */
export function unblind(rating: { scores: StoredScores; preference: Preference; teacherOnLeft: boolean }): {
  scores: RoleScores;
  preferred: Role | null;
} {
  return {
    scores: unblindScores(rating.scores, rating.teacherOnLeft),
    preferred: preferredRole(rating.preference, rating.teacherOnLeft),
  };
}

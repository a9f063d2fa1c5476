import { z } from "zod";
import { PreferenceSchema, SubmittedScoresSchema, type Preference, type SidedScores } from "./sides";

export * from "./sides";
export * from "./criteria";
export * from "./expected-answer";

export const StudyRefInput = z.object({ studyId: z.uuid() });
export const AssignmentRefInput = z.object({ assignmentId: z.uuid() });
export const AcknowledgeInput = z.object({ studyId: z.uuid(), instructionsVersionId: z.uuid() });

export const SubmitRatingInput = z.object({
  assignmentId: z.uuid(),
  instructionsVersionId: z.uuid(),
  scores: SubmittedScoresSchema,
  preference: PreferenceSchema,
  /** Time the item was on screen and in use; clamped to a day. */
  activeMs: z
    .number()
    .int()
    .min(0)
    .transform((ms) => Math.min(ms, 86_400_000)),
});
export type SubmitRatingInput = z.input<typeof SubmitRatingInput>;

export const SkipInput = z.object({
  assignmentId: z.uuid(),
  action: z.enum(["skip", "flag"]),
  reason: z.string().trim().min(1, "Say why").max(500),
});
export type SkipInput = z.input<typeof SkipInput>;

/**
 * Everything an annotator's browser receives about an item. It names no system, output or pair:
 * only the assignment (a random UUID) and the texts, placed by the assignment's side order.
 */
export interface ItemView {
  assignmentId: string;
  source: string;
  left: string;
  right: string;
  rating: {
    scores: SidedScores;
    preference: Preference;
    revision: number;
  } | null;
}

export interface Progress {
  done: number;
  total: number;
}

export type NextResult =
  | { state: "item"; item: ItemView; progress: Progress }
  | { state: "instructions"; progress: Progress }
  | { state: "done" | "paused" | "study-paused" | "closed"; message: string; progress: Progress };

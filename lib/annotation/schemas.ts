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

/**
 * A ranking screen as an annotator's browser receives it: the source and the texts labelled only
 * by their place ("Text A", "Text B", ...), in the order stored for this screen. Nothing in it
 * names a system, a pair or which text is the teacher's.
 */
export interface ScreenView {
  screenId: string;
  source: string;
  texts: { label: string; text: string }[];
}

/** A ranking screen's answers, per text in the order shown: a score per criterion and a rank (1 = best; equal ranks tie). */
export const SubmitRankingInput = z.object({
  screenId: z.uuid(),
  instructionsVersionId: z.uuid(),
  texts: z
    .array(
      z.object({
        scores: z.record(z.string(), z.number().int().min(1).max(5)),
        rank: z.number().int().min(1),
      }),
    )
    .min(2)
    .max(27),
  activeMs: z
    .number()
    .int()
    .min(0)
    .transform((ms) => Math.min(ms, 86_400_000)),
});
export type SubmitRankingInput = z.input<typeof SubmitRankingInput>;

export const SkipScreenInput = z.object({
  screenId: z.uuid(),
  action: z.enum(["skip", "flag"]),
  reason: z.string().trim().min(1, "Say why").max(500),
});
export type SkipScreenInput = z.input<typeof SkipScreenInput>;

export interface Progress {
  done: number;
  total: number;
}

export type NextResult =
  | { state: "item"; item: ItemView; progress: Progress }
  /** RANKING studies: one screen with every text of a source; progress counts screens. */
  | { state: "screen"; screen: ScreenView; progress: Progress }
  | { state: "instructions"; progress: Progress }
  | { state: "done" | "paused" | "study-paused" | "closed"; message: string; progress: Progress };

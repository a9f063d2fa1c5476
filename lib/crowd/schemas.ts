import { z } from "zod";

/** One multiple-choice question of the comprehension check; `answer` is the index of the right option. */
export const ComprehensionQuestion = z
  .object({
    question: z.string().trim().min(1, "Write the question").max(1000),
    options: z
      .array(z.string().trim().min(1, "An option cannot be empty").max(300))
      .min(2, "Give at least two options")
      .max(8),
    answer: z.number().int().min(0),
  })
  .refine((q) => q.answer < q.options.length, {
    message: "The right answer must be one of the options",
    path: ["answer"],
  });

/** What a researcher sets for external (crowd) participants of one study. */
export const CrowdSettings = z.object({
  consentMarkdown: z.string().trim().min(1, "Write the consent text participants agree to").max(20_000),
  comprehension: z.array(ComprehensionQuestion).max(10).default([]),
  completionCode: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{4,40}$/, "The completion code is 4-40 letters, digits, _ or -"),
  screenOutCode: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{4,40}$/, "The screen-out code is 4-40 letters, digits, _ or -"),
  /** Failed attention checks that end a participant's session (screen-out). */
  maxAttentionFailures: z.number().int().min(1).max(20).default(1),
});
export type CrowdSettings = z.infer<typeof CrowdSettings>;

export const CROWD_PLATFORMS = ["prolific", "mturk"] as const;
export type CrowdPlatform = (typeof CROWD_PLATFORMS)[number];

const platformId = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/, "A participant id is letters, digits, _ or -");

/**
 * The query string of a public study link: Prolific's PROLIFIC_PID / STUDY_ID / SESSION_ID or
 * MTurk's workerId / assignmentId / hitId.
 */
export const StartInput = z
  .object({
    token: z.string().min(10).max(100),
    PROLIFIC_PID: platformId.optional(),
    STUDY_ID: z.string().max(100).optional(),
    SESSION_ID: z.string().max(100).optional(),
    workerId: platformId.optional(),
    assignmentId: z.string().max(100).optional(),
    hitId: z.string().max(100).optional(),
  })
  .transform((q, ctx) => {
    if (q.PROLIFIC_PID)
      return {
        token: q.token,
        platform: "prolific" as const,
        platformId: q.PROLIFIC_PID,
        platformStudyId: q.STUDY_ID ?? null,
        platformSessionId: q.SESSION_ID ?? null,
      };
    if (q.workerId && q.assignmentId !== "ASSIGNMENT_ID_NOT_AVAILABLE")
      return {
        token: q.token,
        platform: "mturk" as const,
        platformId: q.workerId,
        platformStudyId: q.hitId ?? null,
        platformSessionId: q.assignmentId ?? null,
      };
    ctx.addIssue({
      code: "custom",
      message:
        "This study link needs your participant id: open it from Prolific (PROLIFIC_PID) or MTurk (workerId), not by hand.",
    });
    return z.NEVER;
  });

export const CheckAnswersInput = z.object({ answers: z.array(z.number().int().min(0)).max(10) });
export const ConsentInput = z.object({ agree: z.boolean() });

export type CrowdStage =
  "CONSENT" | "INSTRUCTIONS" | "CHECK" | "ITEMS" | "COMPLETED" | "RETURNED" | "SCREENED_OUT" | "DECLINED";

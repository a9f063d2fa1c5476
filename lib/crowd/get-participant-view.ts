import { prisma, type DbOrTx } from "@/lib/db";
import { CriteriaSchema, type Criterion } from "@/lib/annotation";
import { loadParticipant, type LoadedParticipant } from "./queries";
import type { CrowdSettings } from "./schemas";

export const MAX_CHECK_TRIES = 2;

export const RETURN_MESSAGE =
  "Thank you for your time. Your answers to the comprehension questions show that the task was not clear " +
  "enough, so we cannot use your ratings. Please return this study on the platform (do not submit it); " +
  "returning does not count against you.";

export type ParticipantView =
  | { stage: "CONSENT"; studyName: string; consentMarkdown: string }
  | { stage: "INSTRUCTIONS"; markdown: string; criteria: Criterion[]; hasCheck: boolean }
  | { stage: "CHECK"; questions: { question: string; options: string[] }[]; triesLeft: number; hasFailedOnce: boolean }
  | { stage: "ITEMS"; markdown: string; criteria: Criterion[]; instructionsVersionId: string }
  | { stage: "COMPLETED"; code: string; url: string | null }
  | { stage: "SCREENED_OUT"; code: string; url: string | null; message: string }
  | { stage: "RETURNED" | "DECLINED"; message: string };

/** Where a platform sends a participant who finished (or was screened out) with a code. */
export function platformUrl(platform: string, code: string): string | null {
  return platform === "prolific"
    ? `https://app.prolific.com/submissions/complete?cc=${encodeURIComponent(code)}`
    : null;
}

async function latestInstructions(studyId: string, db: DbOrTx) {
  return db.instructionsVersion.findFirst({
    where: { studyId },
    orderBy: { version: "desc" },
    select: { id: true, markdown: true, criteria: true },
  });
}

export function viewOf(
  p: Pick<LoadedParticipant, "stage" | "checkFailures" | "platform" | "study"> & { settings: CrowdSettings },
  instructions: { id: string; markdown: string; criteria: unknown } | null,
): ParticipantView {
  const s = p.settings;
  switch (p.stage) {
    case "CONSENT":
      return { stage: "CONSENT", studyName: p.study.name, consentMarkdown: s.consentMarkdown };
    case "INSTRUCTIONS":
    case "ITEMS": {
      const criteria = CriteriaSchema.parse(instructions?.criteria ?? []);
      const markdown = instructions?.markdown ?? "";
      return p.stage === "INSTRUCTIONS"
        ? { stage: "INSTRUCTIONS", markdown, criteria, hasCheck: s.comprehension.length > 0 }
        : { stage: "ITEMS", markdown, criteria, instructionsVersionId: instructions?.id ?? "" };
    }
    case "CHECK":
      return {
        stage: "CHECK",
        // The right answers stay on the server.
        questions: s.comprehension.map((q) => ({ question: q.question, options: q.options })),
        triesLeft: MAX_CHECK_TRIES - p.checkFailures,
        hasFailedOnce: p.checkFailures > 0,
      };
    case "COMPLETED":
      return { stage: "COMPLETED", code: s.completionCode, url: platformUrl(p.platform, s.completionCode) };
    case "SCREENED_OUT":
      return {
        stage: "SCREENED_OUT",
        code: s.screenOutCode,
        url: platformUrl(p.platform, s.screenOutCode),
        message:
          "Your answers to the attention checks did not match what they asked for, so this session has ended. " +
          "Use the code below on the platform.",
      };
    case "RETURNED":
      return { stage: "RETURNED", message: RETURN_MESSAGE };
    default:
      return {
        stage: "DECLINED",
        message: "You did not agree to take part, so nothing was recorded. Please return this study on the platform.",
      };
  }
}

/** What the participant's page shows now: the stage they are in and only what that stage needs. */
export async function getParticipantView(
  args: { participantId: string; token: string },
  db: DbOrTx = prisma,
): Promise<ParticipantView> {
  const p = await loadParticipant(args, db);
  return viewOf(p, await latestInstructions(p.study.id, db));
}

export { latestInstructions };

// Crowd studies for tests: a launched study of a StudyFixture with external participants on, and
// participants arriving through its link as from Prolific. Tests only.
import {
  answerCheck,
  finishInstructions,
  getParticipantView,
  giveConsent,
  participantNext,
  startParticipation,
  updateCrowdSettings,
} from "@/lib/crowd";
import { createStudy, launchStudy } from "@/lib/studies";
import { sameScores, studyInput, type StudyFixture } from "./study-fixture";

/** Consent, one comprehension question (answer: "Two"), the codes, and one attention failure allowed. */
export const CROWD_SETTINGS = {
  consentMarkdown: "You agree to rate paraphrases.",
  comprehension: [{ question: "How many texts do you rate on each screen?", options: ["One", "Two"], answer: 1 }],
  completionCode: "C0MPLETE",
  screenOutCode: "SCREENED1",
  maxAttentionFailures: 1,
};

/** A launched study of the fixture (k = 1, no annotators with accounts) taking participants through its link. */
export async function crowdStudy(f: StudyFixture, overrides: Record<string, unknown> = {}) {
  const { id: studyId } = await createStudy(
    f.researcher,
    studyInput(f, { name: `${f.tag} ${Math.random()}`, annotatorsPerPair: 1, participantIds: [], ...overrides }),
  );
  const o = await updateCrowdSettings(f.researcher, { studyId, isEnabled: true, settings: CROWD_SETTINGS });
  await launchStudy(f.researcher, { studyId });
  return { studyId, token: o.token! };
}

let arrived = 0;
/** A participant arriving from a Prolific link (a fresh PROLIFIC_PID unless given one). */
export async function arrive(token: string, id = `PID${Date.now()}${arrived++}`) {
  const { participantId } = await startParticipation({ token, PROLIFIC_PID: id, STUDY_ID: "s1", SESSION_ID: "x1" });
  return { participantId, token, platformId: id };
}

/**
 * A participant arrived through the link and past consent, instructions and the comprehension
 * check, holding their first item; `answer` is a valid rating of it (a tie, 3 on every scale).
 */
export async function participantAtItem(token: string) {
  const ref = await arrive(token);
  await giveConsent(ref, { agree: true });
  await finishInstructions(ref);
  await answerCheck(ref, { answers: [1] });
  const view = await getParticipantView(ref);
  const n = await participantNext(ref);
  if (n.state !== "item" || view.stage !== "ITEMS") throw new Error("expected an item");
  const answer = {
    assignmentId: n.next.item.assignmentId,
    instructionsVersionId: view.instructionsVersionId,
    scores: sameScores(3, 3),
    preference: "TIE" as const,
    activeMs: 2000,
  };
  return { ref, answer };
}

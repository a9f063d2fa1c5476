import {
  getNextItem,
  knownAnswerScore,
  skipItem,
  submitRating,
  submitRatingThenClaim,
  type NextResult,
  type Participation,
  type SubmitRatingInput,
} from "@/lib/annotation";
import { prisma, type Db } from "@/lib/db";
import { getParticipantView, type ParticipantView } from "./get-participant-view";
import { actorOf, loadParticipant, moveStage, type LoadedParticipant } from "./queries";

type Ref = { participantId: string; token: string };
export type ParticipantNext =
  | { state: "item"; next: Extract<NextResult, { state: "item" }> }
  | { state: "view"; view: ParticipantView }
  | { state: "wait"; message: string };

/**
 * The participant's current item (the annotation claim, with all its rules: blind, one pair per
 * item, k per pair, the per-participant quota). When none is left for them they are done: the
 * page moves on to the completion code.
 */
export async function participantNext(ref: Ref, db: Db = prisma): Promise<ParticipantNext> {
  return nextFor(await loadParticipant(ref, db), ref, db);
}

/** `read`: the participation the rating's own statement read (submitRatingThenClaim). */
async function nextFor(p: LoadedParticipant, ref: Ref, db: Db, read?: Participation | null): Promise<ParticipantNext> {
  if (p.stage !== "ITEMS") return { state: "view", view: await getParticipantView(ref, db) };
  const next = await getNextItem(actorOf(p), { studyId: p.study.id }, db, read);
  if (next.state === "item") return { state: "item", next };
  if (next.state === "instructions") {
    // The researchers changed the instructions: read the new version first.
    await moveStage({ participantId: p.id, from: ["ITEMS"], to: "INSTRUCTIONS" }, db);
    return { state: "view", view: await getParticipantView(ref, db) };
  }
  if (next.state === "done" || next.state === "closed") {
    await moveStage({ participantId: p.id, from: ["ITEMS"], to: "COMPLETED", finished: true }, db);
    return { state: "view", view: await getParticipantView(ref, db) };
  }
  // A ranking study refuses to launch with external participants (lib/studies/launch-study.ts).
  if (next.state === "screen") return { state: "wait", message: "This study cannot be taken through this link." };
  return { state: "wait", message: next.message };
}

/** A rating from a participant; failing the study's number of attention checks ends the session (screen-out). */
export async function participantSubmit(ref: Ref, input: SubmitRatingInput, db: Db = prisma) {
  const p = await loadParticipant(ref, db);
  return { view: (await submitFor(p, ref, input, db, false)).view };
}

/**
 * participantSubmit, then what the page asks for next (participantNext) in the same reply: one
 * request per rating instead of two, as the annotator page does. When the rating ended the
 * session (screen-out) or the participant is past the items, `view` is that page and there is no
 * `next`.
 */
export async function participantSubmitAndNext(
  ref: Ref,
  input: SubmitRatingInput,
  db: Db = prisma,
): Promise<{ view: ParticipantView | null; next?: ParticipantNext }> {
  const p = await loadParticipant(ref, db);
  const { view, participation } = await submitFor(p, ref, input, db, true);
  if (view) return { view };
  return { view: null, next: await nextFor(p, ref, db, participation) };
}

/** The rating; `view` is the page to show instead of the next item (past the items, or screened out). */
async function submitFor(
  p: LoadedParticipant,
  ref: Ref,
  input: SubmitRatingInput,
  db: Db,
  thenClaim: boolean,
): Promise<{ view: ParticipantView | null; participation?: Participation | null }> {
  if (p.stage !== "ITEMS") return { view: await getParticipantView(ref, db) };
  const actor = actorOf(p);
  const saved = thenClaim
    ? await submitRatingThenClaim(actor, input, db)
    : { ...(await submitRating(actor, input, db)), participation: null };
  // Only an attention check's answer can change the count of failed ones.
  if (saved.kind !== "ATTENTION") return { view: null, participation: saved.participation };
  const q = await knownAnswerScore(p.study.id, p.userId, db);
  if (q.attentionAnswered - q.attentionCorrect >= p.settings.maxAttentionFailures) {
    await moveStage({ participantId: p.id, from: ["ITEMS"], to: "SCREENED_OUT", finished: true }, db);
    return { view: await getParticipantView(ref, db) };
  }
  return { view: null, participation: saved.participation };
}

/** A participant skips or flags an item, as an annotator can. */
export async function participantSkip(
  ref: Ref,
  input: { assignmentId: string; action: "skip" | "flag"; reason: string },
  db: Db = prisma,
) {
  const p = await loadParticipant(ref, db);
  if (p.stage !== "ITEMS") return { view: await getParticipantView(ref, db) };
  await skipItem(actorOf(p), input, db);
  return { view: null };
}

import type { Actor } from "@/lib/auth/permissions";
import { prisma, type Db } from "@/lib/db";
import { getNextItem } from "./next-item";
import type { NextResult, SubmitRatingInput } from "./schemas";
import { submitRating } from "./submit-rating";

/**
 * Saves a rating, then answers what the annotator's page asks for next (getNextItem: the open
 * item, else a newly claimed one, else why there is none) in the same reply. The page used to
 * send a second request for it; one request per rating instead of two halves the per-request
 * work (routing, session, user check). The same two use cases, one after the other, with the
 * same rules: nothing the separate calls would not give.
 */
export async function submitRatingAndNext(
  actor: Actor | null,
  input: SubmitRatingInput,
  db: Db = prisma,
): Promise<{ assignmentId: string; revision: number; next: NextResult }> {
  const saved = await submitRating(actor, input, db);
  const next = await getNextItem(actor, { studyId: saved.studyId }, db);
  return { assignmentId: saved.assignmentId, revision: saved.revision, next };
}

import type { Actor } from "@/lib/auth/permissions";
import { prisma, type Db } from "@/lib/db";
import { getNextItem } from "./next-item";
import type { NextResult, SubmitRatingInput } from "./schemas";
import { submitRatingThenClaim } from "./submit-rating";

/**
 * Saves a rating, then answers what the annotator's page asks for next (getNextItem: the open
 * item, else a newly claimed one, else why there is none) in the same reply. The page used to
 * send a second request for it; one request per rating instead of two halves the per-request
 * work (routing, session, user check). The same two use cases, one after the other, with the
 * same rules: nothing the separate calls would not give. The rating's statement also reads the
 * participation and gives lapsed leases back (submitRatingThenClaim), which getNextItem would
 * otherwise do in a statement of its own: two statements per rating and next item, not three.
 */
export async function submitRatingAndNext(
  actor: Actor | null,
  input: SubmitRatingInput,
  db: Db = prisma,
): Promise<{ assignmentId: string; revision: number; next: NextResult }> {
  const saved = await submitRatingThenClaim(actor, input, db);
  const next = await getNextItem(actor, { studyId: saved.studyId }, db, saved.participation);
  return { assignmentId: saved.assignmentId, revision: saved.revision, next };
}

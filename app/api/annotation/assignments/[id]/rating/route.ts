import { requireActor } from "@/lib/auth/session";
import { handle } from "@/lib/http/error-mapper";
import { jsonReply } from "@/lib/http/json-reply";
import { submitRating, submitRatingAndNext } from "@/lib/annotation";
import { SubmitRatingInput } from "@/lib/annotation/schemas";

/**
 * POST: submit or revise the rating of one of the annotator's items (idempotent). With `?next=1`
 * the reply also carries the annotator's next item, as POST /api/annotation/studies/[id]/next
 * answers it, so the page needs one request per rating instead of two.
 */
export const POST = handle(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const actor = await requireActor("annotation:work");
  const { id } = await ctx.params;
  const input = SubmitRatingInput.parse({ ...(await req.json().catch(() => ({}))), assignmentId: id });
  if (new URL(req.url).searchParams.get("next") === "1")
    return jsonReply(await submitRatingAndNext(actor, input), { headers: { "cache-control": "no-store" } });
  const { assignmentId, revision } = await submitRating(actor, input);
  return jsonReply({ assignmentId, revision });
});

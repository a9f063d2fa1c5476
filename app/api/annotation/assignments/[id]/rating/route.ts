import { requireActor } from "@/lib/auth/session";
import { handle } from "@/lib/http/error-mapper";
import { jsonReply } from "@/lib/http/json-reply";
import { submitRating } from "@/lib/annotation";
import { SubmitRatingInput } from "@/lib/annotation/schemas";

/** POST: submit or revise the rating of one of the annotator's items (idempotent). */
export const POST = handle(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const actor = await requireActor("annotation:work");
  const { id } = await ctx.params;
  const input = SubmitRatingInput.parse({ ...(await req.json().catch(() => ({}))), assignmentId: id });
  return jsonReply(await submitRating(actor, input));
});

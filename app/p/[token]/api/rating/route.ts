import { SubmitRatingSchema } from "@/lib/annotation";
import { participantSubmit, participantSubmitAndNext } from "@/lib/crowd";
import { handle } from "@/lib/http/error-mapper";
import { jsonReply } from "@/lib/http/json-reply";
import { participantRef } from "../../participant-ref";

/**
 * POST { assignmentId, instructionsVersionId, scores, preference, activeMs }: a participant's
 * rating. With `?next=1` the reply also carries what POST ../next would answer, so the page sends
 * one request per rating instead of two.
 */
export const POST = handle(async (req: Request, ctx: { params: Promise<{ token: string }> }) => {
  const ref = await participantRef((await ctx.params).token);
  const input = SubmitRatingSchema.parse(await req.json().catch(() => ({})));
  if (new URL(req.url).searchParams.get("next") === "1")
    return jsonReply(await participantSubmitAndNext(ref!, input), { headers: { "cache-control": "no-store" } });
  return jsonReply(await participantSubmit(ref!, input));
});

import { NextResponse } from "next/server";
import { SubmitRatingSchema } from "@/lib/annotation";
import { participantSubmit } from "@/lib/crowd";
import { handle } from "@/lib/http/error-mapper";
import { participantRef } from "../../participant-ref";

/** POST { assignmentId, instructionsVersionId, scores, preference, activeMs }: a participant's rating. */
export const POST = handle(async (req: Request, ctx: { params: Promise<{ token: string }> }) => {
  const ref = await participantRef((await ctx.params).token);
  const input = SubmitRatingSchema.parse(await req.json().catch(() => ({})));
  return NextResponse.json(await participantSubmit(ref!, input));
});

import { NextResponse } from "next/server";
import { SkipSchema } from "@/lib/annotation";
import { participantSkip } from "@/lib/crowd";
import { handle } from "@/lib/http/error-mapper";
import { participantRef } from "../../participant-ref";

/** POST { assignmentId, action, reason }: a participant skips or flags an item. */
export const POST = handle(async (req: Request, ctx: { params: Promise<{ token: string }> }) => {
  const ref = await participantRef((await ctx.params).token);
  const input = SkipSchema.parse(await req.json().catch(() => ({})));
  return NextResponse.json(await participantSkip(ref!, input));
});

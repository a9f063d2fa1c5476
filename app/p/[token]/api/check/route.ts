import { NextResponse } from "next/server";
import { answerCheck } from "@/lib/crowd";
import { handle } from "@/lib/http/error-mapper";
import { participantRef } from "../../participant-ref";

/** POST { answers }: one try at the comprehension check. */
export const POST = handle(async (req: Request, ctx: { params: Promise<{ token: string }> }) => {
  const ref = await participantRef((await ctx.params).token);
  return NextResponse.json(await answerCheck(ref!, await req.json().catch(() => ({}))));
});

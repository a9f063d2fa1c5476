import { NextResponse } from "next/server";
import { finishInstructions } from "@/lib/crowd";
import { handle } from "@/lib/http/error-mapper";
import { participantRef } from "../../participant-ref";

/** POST: the participant has read the instructions. */
export const POST = handle(async (_req: Request, ctx: { params: Promise<{ token: string }> }) => {
  const ref = await participantRef((await ctx.params).token);
  return NextResponse.json(await finishInstructions(ref!));
});

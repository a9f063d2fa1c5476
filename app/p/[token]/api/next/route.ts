import { NextResponse } from "next/server";
import { participantNext } from "@/lib/crowd";
import { handle } from "@/lib/http/error-mapper";
import { participantRef } from "../../participant-ref";

/** POST: the participant's current item, or the page they have moved on to. */
export const POST = handle(async (_req: Request, ctx: { params: Promise<{ token: string }> }) => {
  const ref = await participantRef((await ctx.params).token);
  return NextResponse.json(await participantNext(ref!), { headers: { "cache-control": "no-store" } });
});

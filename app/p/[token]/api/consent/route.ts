import { NextResponse } from "next/server";
import { giveConsent } from "@/lib/crowd";
import { handle } from "@/lib/http/error-mapper";
import { participantRef } from "../../participant-ref";

/** POST { agree }: the participant's answer to the consent text. */
export const POST = handle(async (req: Request, ctx: { params: Promise<{ token: string }> }) => {
  const ref = await participantRef((await ctx.params).token);
  return NextResponse.json(await giveConsent(ref!, await req.json().catch(() => ({}))));
});

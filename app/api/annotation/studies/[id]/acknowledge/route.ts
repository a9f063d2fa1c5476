import { NextResponse } from "next/server";
import { z } from "zod";
import { requireActor } from "@/lib/auth/session";
import { handle } from "@/lib/http/error-mapper";
import { acknowledgeInstructions } from "@/lib/annotation";

const Body = z.object({ instructionsVersionId: z.uuid() });

/** POST: the annotator acknowledges the study's current instructions version. */
export const POST = handle(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const actor = await requireActor("annotation:work");
  const { id } = await ctx.params;
  const body = Body.parse(await req.json().catch(() => ({})));
  return NextResponse.json(await acknowledgeInstructions(actor, { studyId: id, ...body }));
});

import { NextResponse } from "next/server";
import { requireActor } from "@/lib/auth/session";
import { cancelJob } from "@/lib/jobs";
import { handle } from "@/lib/http/error-mapper";

export const POST = handle(async (_req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const actor = await requireActor("generation:run");
  const { id } = await ctx.params;
  return NextResponse.json(await cancelJob(actor, id));
});

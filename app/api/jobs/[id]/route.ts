import { NextResponse } from "next/server";
import { requireActor } from "@/lib/auth/session";
import { getJobProgress } from "@/lib/jobs";
import { handle } from "@/lib/http/error-mapper";

/** A generation job's progress, polled by the progress bar. */
export const GET = handle(async (_req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const actor = await requireActor("generation:run");
  const { id } = await ctx.params;
  return NextResponse.json(await getJobProgress(actor, id));
});

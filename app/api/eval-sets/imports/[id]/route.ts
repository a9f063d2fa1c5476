import { NextResponse } from "next/server";
import { requireActor } from "@/lib/auth/session";
import { getImportProgress } from "@/lib/eval-sets";
import { handle } from "@/lib/http/error-mapper";

/** An eval set import's progress, polled by the upload page's progress bar (the import's action is still running, maybe in another process). */
export const GET = handle(async (_req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const actor = await requireActor("eval-sets:manage");
  const { id } = await ctx.params;
  return NextResponse.json(await getImportProgress(actor, id), { headers: { "Cache-Control": "no-store" } });
});

import { NextResponse } from "next/server";
import { requireActor } from "@/lib/auth/session";
import { handle } from "@/lib/http/error-mapper";
import { getStudyAuditTrail } from "@/lib/studies";

/** GET: the study's audit trail, oldest first (its owner and admins). */
export const GET = handle(async (_req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const actor = await requireActor("studies:manage");
  const { id } = await ctx.params;
  return NextResponse.json({ events: await getStudyAuditTrail(actor, id) });
});

import { NextResponse } from "next/server";
import { listAuditEvents } from "@/lib/audit";
import { requireActor } from "@/lib/auth/session";
import { handle } from "@/lib/http/error-mapper";

/** GET: the latest audit events, newest first (admins); ?take=N, at most 1,000. */
export const GET = handle(async (req: Request) => {
  const actor = await requireActor("audit:read-all");
  const take = Number(new URL(req.url).searchParams.get("take") ?? 200) || 200;
  return NextResponse.json({ events: await listAuditEvents(actor, { take }) });
});

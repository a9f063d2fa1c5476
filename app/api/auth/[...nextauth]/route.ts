import NextAuth from "next-auth";
import { NextResponse } from "next/server";
import { sameOriginCallback } from "@/lib/auth/callback-path";
import { requireSameOrigin } from "@/lib/http/request-guard";
import { errorResponse } from "@/lib/http/error-mapper";
import { env } from "@/lib/env";
import { authOptions } from "@/lib/users";

// Built per request rather than at import, so `next build` needs no secrets.
type Ctx = { params: Promise<{ nextauth: string[] }> };
async function handler(req: Request, ctx: Ctx) {
  // next-auth answers a callbackUrl it cannot parse with a 500; refuse anything off-site cleanly.
  const url = new URL(req.url);
  const callbackUrl = url.searchParams.get("callbackUrl");
  const appOrigin = env().NEXTAUTH_URL ? new URL(env().NEXTAUTH_URL!).origin : url.origin;
  if (callbackUrl !== null && !sameOriginCallback(callbackUrl, appOrigin))
    return NextResponse.json(
      { error: { code: "validation", message: "callbackUrl must be a path on this site" } },
      { status: 400 },
    );
  if (req.method === "POST") {
    try {
      requireSameOrigin(req);
    } catch (err) {
      return errorResponse(err);
    }
  }
  return NextAuth(authOptions())(req, { params: await ctx.params });
}
export { handler as GET, handler as POST };

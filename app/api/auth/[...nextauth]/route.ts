import NextAuth from "next-auth";
import { authOptions } from "@/lib/users";

// Built per request rather than at import, so `next build` needs no secrets.
type Ctx = { params: Promise<{ nextauth: string[] }> };
async function handler(req: Request, ctx: Ctx) {
  return NextAuth(authOptions())(req, { params: await ctx.params });
}
export { handler as GET, handler as POST };

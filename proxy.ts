import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";

const PUBLIC = [/^\/sign-in/, /^\/invite\//, /^\/p\//, /^\/api\/auth\//, /^\/_next\//, /^\/favicon/];

/**
 * Sends visitors without a session to the sign-in page. A convenience only: every page, action
 * and route handler checks the permission table itself.
 */
export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (PUBLIC.some((re) => re.test(pathname))) return NextResponse.next();
  const token = await getToken({ req: request, secret: env().NEXTAUTH_SECRET });
  if (token) return NextResponse.next();
  if (pathname.startsWith("/api/")) return NextResponse.next(); // API routes answer 401 themselves
  const url = new URL("/sign-in", request.url);
  url.searchParams.set("callbackUrl", pathname + search);
  return NextResponse.redirect(url);
}

export const config = { matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"] };

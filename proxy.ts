import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { decode } from "@/lib/auth/jwt";
import { env } from "@/lib/env";
import { API_CSP, contentSecurityPolicy } from "@/lib/http/security-headers";

const PUBLIC = [/^\/sign-in/, /^\/invite\//, /^\/p\//, /^\/api\/auth\//, /^\/_next\//, /^\/favicon/];

/** The page's CSP with a fresh nonce, on the request (Next reads the nonce from it) and the response. */
function withCsp(request: NextRequest, response: (headers: Headers) => NextResponse): NextResponse {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce, { isDev: process.env.NODE_ENV === "development" });
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", csp);
  headers.set("x-nonce", nonce);
  const res = response(headers);
  res.headers.set("Content-Security-Policy", csp);
  return res;
}

function apiResponse(): NextResponse {
  const res = NextResponse.next();
  res.headers.set("Content-Security-Policy", API_CSP);
  return res;
}

/** The app's JSON routes: its API, and a crowd study link's own (/p/[token]/api/...). */
const isAppApi = (pathname: string) =>
  (pathname.startsWith("/api/") && !pathname.startsWith("/api/auth/")) || /^\/p\/[^/]+\/api\//.test(pathname);

/**
 * Sends visitors without a session to the sign-in page and sets the CSP. A convenience only:
 * every page, action and route handler checks the permission table itself.
 */
export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  // The app's own API answers JSON (or a plain error page without scripts) and checks the session
  // itself, answering 401: no redirect, no nonce to hand to a page. Skipping the session decode
  // and the request-header rewrite here saves a share of every annotation request.
  if (isAppApi(pathname)) return apiResponse();
  const next = (headers: Headers) => NextResponse.next({ request: { headers } });
  if (PUBLIC.some((re) => re.test(pathname))) return withCsp(request, next);
  const token = await getToken({ req: request, secret: env().NEXTAUTH_SECRET, decode });
  if (token) return withCsp(request, next);
  const url = new URL("/sign-in", request.url);
  url.searchParams.set("callbackUrl", pathname + search);
  return NextResponse.redirect(url);
}

export const config = {
  matcher: [
    {
      source: "/((?!_next/static|_next/image|favicon.ico).*)",
      // Server actions (uploads) bypass the proxy: it would buffer their bodies under its own
      // 10 MB cap and cut an upload before the app can say "the file is too large". Actions
      // check access themselves, and their replies are data, not pages, so need no CSP.
      missing: [{ type: "header", key: "next-action" }],
    },
  ],
};

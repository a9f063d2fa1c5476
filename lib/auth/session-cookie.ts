import { parseCookie } from "cookie";
import { cookies, headers } from "next/headers";
import { env } from "@/lib/env";
import { decode } from "./jwt";

/** What the session cookie says: who, and which of their sessions (getActor checks both against the database). */
export interface SessionClaims {
  userId: string;
  sessionVersion: number;
}

export type HeaderReader = { get(name: string): string | null };

/**
 * The session cookie's name, chosen as next-auth v4 chooses it (core/init.js with
 * utils/detect-origin.js): the `__Secure-` one when the app's URL is https. The URL is
 * NEXTAUTH_URL, or with VERCEL or AUTH_TRUST_HOST set, the forwarded host and protocol.
 */
export function sessionCookieName(h: HeaderReader): string {
  const trustHost = process.env.VERCEL ?? process.env.AUTH_TRUST_HOST;
  const origin =
    process.env.NEXTAUTH_URL ||
    (trustHost
      ? `${h.get("x-forwarded-proto") === "http" ? "http" : "https"}://${h.get("x-forwarded-host") ?? h.get("host")}`
      : "http://localhost:3000");
  return origin.startsWith("https://") ? "__Secure-next-auth.session-token" : "next-auth.session-token";
}

/** next-auth splits a long token over `name.0`, `name.1`, ... (core/lib/cookie.js SessionStore). */
function joinChunks(all: { name: string; value: string }[], name: string): string {
  const suffix = (n: string) => (n === name ? -1 : Number(n.slice(name.length + 1)));
  return all
    .filter((c) => c.name.startsWith(name) && (c.name === name || /^\.\d+$/.test(c.name.slice(name.length))))
    .sort((a, b) => suffix(a.name) - suffix(b.name))
    .map((c) => c.value)
    .join("");
}

/**
 * The signed-in user's id and session version from the session cookie, or null without a valid
 * one. What getServerSession gave getActor, without the rest of next-auth's session route: that
 * also re-encrypted a fresh cookie on every call, which a page or route handler then threw away
 * (getServerSession without a response cannot set it), about 1 ms of CPU per request. The token
 * is decrypted and its expiry checked by the same decode next-auth is configured with
 * (lib/auth/jwt.ts); the claims are read as the session callback in lib/auth/next-auth.ts reads them.
 */
export async function readSession(): Promise<SessionClaims | null> {
  const [jar, h] = await Promise.all([cookies(), headers()]);
  return claimsOf(jar.getAll(), h);
}

/**
 * The same, read from a request's own headers (its Cookie header), for a request that Next's
 * request scope does not wrap: the routes scripts/serve.ts answers itself (lib/http/node-route.ts).
 */
export function readSessionFrom(h: HeaderReader): Promise<SessionClaims | null> {
  const jar = parseCookie(h.get("cookie") ?? "");
  const all = Object.entries(jar).flatMap(([name, value]) => (value === undefined ? [] : [{ name, value }]));
  return claimsOf(all, h);
}

async function claimsOf(all: { name: string; value: string }[], h: HeaderReader): Promise<SessionClaims | null> {
  const token = joinChunks(all, sessionCookieName(h));
  if (!token) return null;
  try {
    const claims = await decode({ token, secret: env().NEXTAUTH_SECRET });
    if (!claims?.sub) return null;
    return { userId: claims.sub, sessionVersion: typeof claims.sv === "number" ? claims.sv : 0 };
  } catch {
    return null; // another secret, tampered with, or expired: no session, as next-auth has it
  }
}

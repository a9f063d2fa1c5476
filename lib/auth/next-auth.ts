import type { NextAuthOptions } from "next-auth";
import { env } from "@/lib/env";
import { sameOriginCallback } from "./callback-path";

/**
 * The session half of the next-auth configuration: JWT sessions that carry only the user's id.
 * The role is deliberately not in the cookie: getActor reads it fresh from the database. Reading
 * a session needs no provider; the users domain adds the credentials provider for signing in
 * (lib/users/auth-options.ts), so this ground-floor file imports no domain.
 */
export function sessionOptions(): NextAuthOptions {
  return {
    secret: env().NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: [],
    callbacks: {
      jwt({ token, user }) {
        if (user) token.sub = user.id;
        return token;
      },
      session({ session, token }) {
        if (session.user) session.user.id = token.sub ?? "";
        return session;
      },
      // Only paths on this site, read as a browser reads them (lib/auth/callback-path.ts).
      redirect({ url, baseUrl }) {
        const path = sameOriginCallback(url, new URL(baseUrl).origin);
        return `${baseUrl}${path ?? "/"}`;
      },
    },
  };
}

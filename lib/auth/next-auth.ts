import type { NextAuthOptions } from "next-auth";
import { prisma } from "@/lib/db";
import { env } from "@/lib/env";
import { sameOriginCallback } from "./callback-path";
import { decode, encode } from "./jwt";

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
    // next-auth's own token format, with the key derived once per secret (lib/auth/jwt.ts).
    jwt: { encode, decode },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: [],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.sv = user.sessionVersion ?? 0;
        }
        return token;
      },
      session({ session, token }) {
        if (session.user) session.user.id = token.sub ?? "";
        session.sessionVersion = token.sv ?? 0;
        return session;
      },
      // Only paths on this site, read as a browser reads them (lib/auth/callback-path.ts).
      redirect({ url, baseUrl }) {
        const path = sameOriginCallback(url, new URL(baseUrl).origin);
        return `${baseUrl}${path ?? "/"}`;
      },
    },
    events: {
      // Signing out revokes every cookie of the user, including copies of this one.
      async signOut({ token }) {
        if (token?.sub) await bumpSessionVersion(token.sub);
      },
    },
  };
}

/** Ends every session of a user: cookies issued before no longer match (see getActor). */
export async function bumpSessionVersion(userId: string, db: Pick<typeof prisma, "user"> = prisma): Promise<void> {
  await db.user.updateMany({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
}

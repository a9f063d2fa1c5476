import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { env } from "@/lib/env";
import { RateLimitError } from "@/lib/errors";
// The one place a leaf reaches into a domain: checking credentials is the users domain's rule.
import { authenticate } from "@/lib/users/authenticate";

function clientAddress(headers: Record<string, string | string[] | undefined> | undefined): string {
  const forwarded = headers?.["x-forwarded-for"];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
  const real = headers?.["x-real-ip"];
  return first || (Array.isArray(real) ? real[0] : real) || "unknown";
}

/**
 * next-auth configuration: email + password, JWT sessions that carry only the user's id. The
 * role is deliberately not in the cookie: getActor reads it fresh from the database.
 */
export function authOptions(): NextAuthOptions {
  return {
    secret: env().NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          try {
            const actor = await authenticate({
              email: credentials?.email ?? "",
              password: credentials?.password ?? "",
              ipAddress: clientAddress(req?.headers as Record<string, string | string[] | undefined>),
            });
            return actor ? { id: actor.id, email: actor.email, name: actor.name } : null;
          } catch (err) {
            // next-auth shows a thrown error's message as the sign-in error; only this one is meant for users.
            if (err instanceof RateLimitError) throw new Error(err.message);
            throw err;
          }
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) token.sub = user.id;
        return token;
      },
      session({ session, token }) {
        if (session.user) session.user.id = token.sub ?? "";
        return session;
      },
    },
  };
}

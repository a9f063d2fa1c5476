import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { sessionOptions } from "@/lib/auth/next-auth";
import { RateLimitError } from "@/lib/errors";
import { authenticate } from "./authenticate";

function clientAddress(headers: Record<string, string | string[] | undefined> | undefined): string {
  const forwarded = headers?.["x-forwarded-for"];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
  const real = headers?.["x-real-ip"];
  return first || (Array.isArray(real) ? real[0] : real) || "unknown";
}

/** next-auth configuration for signing in: the session options plus email and password. */
export function authOptions(): NextAuthOptions {
  return {
    ...sessionOptions(),
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
  };
}

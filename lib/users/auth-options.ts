import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { sessionOptions } from "@/lib/auth/next-auth";
import { ZodError } from "zod";
import { clientAddress } from "@/lib/auth/client-address";
import { env } from "@/lib/env";
import { RateLimitError } from "@/lib/errors";
import { authenticate } from "./authenticate";

export const SIGN_IN_UNAVAILABLE = "Sign-in is not available right now. Try again in a minute.";

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
              ipAddress: clientAddress(
                req?.headers as Record<string, string | string[] | undefined>,
                env().TRUSTED_PROXIES,
              ),
            });
            return actor
              ? { id: actor.id, email: actor.email, name: actor.name, sessionVersion: actor.sessionVersion }
              : null;
          } catch (err) {
            // next-auth shows a thrown error's message on the sign-in form: only the rate limit's is
            // meant for people. Input the schema refuses (a 201-character password) is a failed
            // sign-in; anything else (a database outage) goes to the log and the person sees a plain line.
            if (err instanceof RateLimitError) throw new Error(err.message);
            if (err instanceof ZodError) return null;
            console.error("sign-in failed", err);
            throw new Error(SIGN_IN_UNAVAILABLE);
          }
        },
      }),
    ],
  };
}

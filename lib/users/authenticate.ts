import { z } from "zod";
import { verifyAgainstDummy, verifyPassword } from "@/lib/auth/password";
import type { Actor } from "@/lib/auth/permissions";
import { RateLimitError } from "@/lib/errors";
import { prisma, type DbOrTx } from "@/lib/db";
import { SignInInput } from "./schemas";
import { countRecentFailures, findUserForSignIn, oldestRecentFailure, recordSignInAttempt } from "./queries";

export const SIGN_IN_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_ADDRESS = 30;

async function enforceLimit(key: { email?: string; ipAddress?: string }, max: number, db: DbOrTx) {
  const since = new Date(Date.now() - SIGN_IN_WINDOW_MS);
  if ((await countRecentFailures(key, since, db)) < max) return;
  const oldest = await oldestRecentFailure(key, since, db);
  const retryAfterMs = oldest ? oldest.attemptedAt.getTime() + SIGN_IN_WINDOW_MS - Date.now() : SIGN_IN_WINDOW_MS;
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  throw new RateLimitError(
    `Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
    Math.ceil(retryAfterMs / 1000),
  );
}

/**
 * Checks an email and password. Returns the actor, or null for a wrong password, an unknown
 * email and a deactivated account alike (same message, same work), so a caller cannot tell
 * which accounts exist. Throws RateLimitError once an email or address has failed too often,
 * whether or not the account exists.
 */
export async function authenticate(input: z.input<typeof SignInInput>, db: DbOrTx = prisma): Promise<Actor | null> {
  const { email, password, ipAddress } = SignInInput.parse(input);
  await enforceLimit({ email }, MAX_FAILURES_PER_EMAIL, db);
  await enforceLimit({ ipAddress }, MAX_FAILURES_PER_ADDRESS, db);
  const user = await findUserForSignIn(email, db);
  const ok = user?.passwordHash
    ? await verifyPassword(password, user.passwordHash)
    : await verifyAgainstDummy(password);
  const succeeded = Boolean(ok && user?.isActive);
  await recordSignInAttempt({ email, ipAddress, succeeded }, db);
  if (!succeeded || !user) return null;
  await db.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() }, select: { id: true } });
  return { id: user.id, role: user.role, email: user.email, name: user.name };
}

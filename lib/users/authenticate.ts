import { z } from "zod";
import { verifyAgainstDummy, verifyPassword } from "@/lib/auth/password";
import type { Actor } from "@/lib/auth/permissions";
import { RateLimitError } from "@/lib/errors";
import { prisma, type Db } from "@/lib/db";
import { SignInInput } from "./schemas";
import {
  countRecentFailures,
  findUserForSignIn,
  lockSignInKeys,
  markSignInSucceeded,
  oldestRecentFailure,
  recordSignInAttempt,
  type SignInKey,
} from "./queries";

export const SIGN_IN_WINDOW_MS = 15 * 60_000;
/** Failures of one account from one address: the limit a guesser meets. */
export const MAX_FAILURES_PER_EMAIL_AND_ADDRESS = 5;
/** Failures from one address over all accounts: one address spraying many accounts. */
export const MAX_FAILURES_PER_ADDRESS = 30;
/**
 * Failures of one account from every address together: a much slower back-off, so that someone
 * who guesses from one address locks out only that address, not the account's owner, while a
 * guesser with many addresses is still bounded.
 */
export const MAX_FAILURES_PER_EMAIL = 50;

async function enforceLimit(key: SignInKey, max: number, db: Parameters<typeof countRecentFailures>[2]) {
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
 * which accounts exist. Throws RateLimitError once the account from this address, the address,
 * or the account from everywhere has failed too often, whether or not the account exists.
 *
 * The check and the record are one step: under row-free advisory locks on the email and the
 * address, the recent failures are counted and this attempt is recorded as a failure before the
 * password is even looked at, then marked a success if it is one. Twenty concurrent guesses
 * therefore meet the limit after five, as twenty sequential ones do.
 */
export async function authenticate(
  input: z.input<typeof SignInInput>,
  db: Db = prisma,
): Promise<(Actor & { sessionVersion: number }) | null> {
  const { email, password, ipAddress } = SignInInput.parse(input);
  const attempt = await db.$transaction(
    async (tx) => {
      await lockSignInKeys({ email, ipAddress }, tx);
      await enforceLimit({ email, ipAddress }, MAX_FAILURES_PER_EMAIL_AND_ADDRESS, tx);
      await enforceLimit({ ipAddress }, MAX_FAILURES_PER_ADDRESS, tx);
      await enforceLimit({ email }, MAX_FAILURES_PER_EMAIL, tx);
      return recordSignInAttempt({ email, ipAddress, succeeded: false }, tx);
      // Generous waits: a burst on one account queues on the lock, each holder taking milliseconds.
    },
    { maxWait: 15_000, timeout: 15_000 },
  );
  const user = await findUserForSignIn(email, db);
  const ok = user?.passwordHash
    ? await verifyPassword(password, user.passwordHash)
    : await verifyAgainstDummy(password);
  if (!ok || !user?.isActive) return null;
  await markSignInSucceeded(attempt.id, db);
  await db.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() }, select: { id: true } });
  return { id: user.id, role: user.role, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
}

import { prisma, type DbOrTx } from "@/lib/db";
import type { Role } from "@/lib/auth/permissions";

export const userViewSelect = {
  id: true,
  email: true,
  name: true,
  role: true,
  pseudonym: true,
  isActive: true,
  createdAt: true,
  lastSignInAt: true,
} as const;

/** The id of the account with this (already normalised) email, or null. */
export function findUserIdByEmail(email: string, db: DbOrTx = prisma) {
  return db.user.findUnique({ where: { email }, select: { id: true } });
}

export function findUserForSignIn(email: string, db: DbOrTx = prisma) {
  return db.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, role: true, isActive: true, passwordHash: true, sessionVersion: true },
  });
}

export function listUsers(db: DbOrTx = prisma) {
  return db.user.findMany({ select: userViewSelect, orderBy: [{ role: "asc" }, { email: "asc" }] });
}

export function insertUser(
  data: { email: string; name: string; role: Role; passwordHash: string | null; pseudonym: string },
  db: DbOrTx = prisma,
) {
  return db.user.create({ data, select: userViewSelect });
}

export type SignInKey = { email?: string; ipAddress?: string };

/**
 * Serialises sign-in attempts for one email and for one address until the caller's transaction
 * ends (transaction-scoped advisory locks; always email before address, so two attempts cannot
 * wait on each other in a cycle).
 */
export async function lockSignInKeys(key: { email: string; ipAddress: string }, tx: DbOrTx) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(1401, hashtext(${key.email}))`;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(1402, hashtext(${key.ipAddress}))`;
}

export function markSignInSucceeded(id: string, db: DbOrTx = prisma) {
  return db.signInAttempt.update({ where: { id }, data: { succeeded: true }, select: { id: true } });
}

export function countRecentFailures(key: SignInKey, since: Date, db: DbOrTx = prisma) {
  return db.signInAttempt.count({ where: { ...key, succeeded: false, attemptedAt: { gte: since } } });
}

export function oldestRecentFailure(key: SignInKey, since: Date, db: DbOrTx = prisma) {
  return db.signInAttempt.findFirst({
    where: { ...key, succeeded: false, attemptedAt: { gte: since } },
    orderBy: { attemptedAt: "asc" },
    select: { attemptedAt: true },
  });
}

export function recordSignInAttempt(
  data: { email: string; ipAddress: string; succeeded: boolean },
  db: DbOrTx = prisma,
) {
  return db.signInAttempt.create({ data, select: { id: true } });
}

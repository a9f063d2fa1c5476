import { hashPassword } from "@/lib/auth/password";
import type { Role } from "@/lib/auth/permissions";
import { prisma, type DbOrTx } from "@/lib/db";
import { newPseudonym } from "./pseudonym";
import { findUserIdByEmail } from "./queries";

/**
 * Creates a user if none has this email (seed and first-admin bootstrap). An existing user is
 * left exactly as it is, so re-running the seed never resets a password someone changed.
 */
export async function ensureUser(
  input: { email: string; name: string; role: Role; password: string },
  db: DbOrTx = prisma,
): Promise<{ id: string; created: boolean }> {
  const email = input.email.trim().toLowerCase();
  const existing = await findUserIdByEmail(email, db);
  if (existing) return { id: existing.id, created: false };
  const created = await db.user.upsert({
    where: { email },
    create: {
      email,
      name: input.name,
      role: input.role,
      passwordHash: await hashPassword(input.password),
      pseudonym: newPseudonym(input.role),
    },
    update: {},
    select: { id: true },
  });
  return { id: created.id, created: true };
}

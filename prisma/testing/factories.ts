import { randomUUID } from "node:crypto";
import { prisma } from "@/lib/db";
import type { Actor, Role } from "@/lib/auth/permissions";
import { hashPassword } from "@/lib/auth/password";

/** A short unique tag, so every test's data has names no other test uses. */
export function uniq(prefix = "t"): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

let cachedHash: Promise<string> | undefined;
export const FACTORY_PASSWORD = "factory-password-1";

/** Creates a user of the role and returns it as an Actor; `deleteUsers` removes it again. */
export async function makeUser(role: Role, overrides: { email?: string; isActive?: boolean } = {}): Promise<Actor> {
  cachedHash ??= hashPassword(FACTORY_PASSWORD);
  const tag = uniq(role.toLowerCase());
  const user = await prisma.user.create({
    data: {
      email: overrides.email ?? `${tag}@test.local`,
      name: `Test ${tag}`,
      role,
      passwordHash: await cachedHash,
      pseudonym: tag,
      isActive: overrides.isActive ?? true,
    },
    select: { id: true, role: true, email: true, name: true },
  });
  return user;
}

/** Deletes users by id (their invitations, assignments and ratings cascade). */
export async function deleteUsers(...ids: string[]) {
  await prisma.user.deleteMany({ where: { id: { in: ids } } });
}

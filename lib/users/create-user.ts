import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { hashPassword } from "@/lib/auth/password";
import { ConflictError } from "@/lib/errors";
import { prisma, type DbOrTx } from "@/lib/db";
import { CreateUserInput, type UserView } from "./schemas";
import { findUserIdByEmail, insertUser } from "./queries";
import { newPseudonym } from "./pseudonym";

/** Admins create accounts with a password they pass on to the person. */
export async function createUser(actor: Actor | null, input: CreateUserInput, db: DbOrTx = prisma): Promise<UserView> {
  requirePermission(actor, "users:manage");
  const data = CreateUserInput.parse(input);
  const existing = await findUserIdByEmail(data.email, db);
  if (existing) throw new ConflictError(`A user with the email ${data.email} already exists`);
  return insertUser(
    {
      email: data.email,
      name: data.name,
      role: data.role,
      passwordHash: await hashPassword(data.password),
      pseudonym: newPseudonym(data.role),
    },
    db,
  );
}

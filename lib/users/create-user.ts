import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { hashPassword } from "@/lib/auth/password";
import { ConflictError } from "@/lib/errors";
import { prisma, type DbOrTx } from "@/lib/db";
import { inTransaction, recordAudit } from "@/lib/audit";
import { CreateUserInput, type UserView } from "./schemas";
import { findUserIdByEmail, insertUser } from "./queries";
import { newPseudonym } from "./pseudonym";

/** Admins create accounts with a password they pass on to the person. */
export async function createUser(actor: Actor | null, input: CreateUserInput, db: DbOrTx = prisma): Promise<UserView> {
  requirePermission(actor, "users:manage");
  const data = CreateUserInput.parse(input);
  const existing = await findUserIdByEmail(data.email, db);
  if (existing) throw new ConflictError(`A user with the email ${data.email} already exists`);
  const passwordHash = await hashPassword(data.password);
  return inTransaction(db, async (tx) => {
    const user = await insertUser(
      { email: data.email, name: data.name, role: data.role, passwordHash, pseudonym: newPseudonym(data.role) },
      tx,
    );
    await recordAudit(
      {
        actor,
        action: "user.create",
        entityType: "user",
        entityId: user.id,
        after: { email: user.email, role: user.role },
      },
      tx,
    );
    return user;
  });
}

import { z } from "zod";
import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { hashPassword } from "@/lib/auth/password";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { prisma, type DbOrTx } from "@/lib/db";
import { inTransaction, recordAudit } from "@/lib/audit";
import { ResetPasswordInput, SetUserActiveInput, type UserView } from "./schemas";
import { listUsers as listUsersQuery, userViewSelect } from "./queries";

/** Admins set a new password for a user (who then signs in with it). */
export async function resetPassword(
  actor: Actor | null,
  input: z.input<typeof ResetPasswordInput>,
  db: DbOrTx = prisma,
): Promise<UserView> {
  requirePermission(actor, "users:manage");
  const data = ResetPasswordInput.parse(input);
  const found = await db.user.findUnique({ where: { id: data.userId }, select: { id: true } });
  if (!found) throw new NotFoundError("No such user");
  const passwordHash = await hashPassword(data.password);
  return inTransaction(db, async (tx) => {
    const user = await tx.user.update({
      where: { id: data.userId },
      // A new password ends every session signed in with the old one.
      data: { passwordHash, sessionVersion: { increment: 1 } },
      select: userViewSelect,
    });
    await recordAudit({ actor, action: "user.password-reset", entityType: "user", entityId: user.id }, tx);
    return user;
  });
}

/** Admins deactivate (or reactivate) a user; a deactivated user's sessions stop working at once. */
export async function setUserActive(
  actor: Actor | null,
  input: z.input<typeof SetUserActiveInput>,
  db: DbOrTx = prisma,
): Promise<UserView> {
  requirePermission(actor, "users:manage");
  const data = SetUserActiveInput.parse(input);
  if (data.userId === actor.id && !data.isActive) throw new ConflictError("You cannot deactivate your own account");
  const found = await db.user.findUnique({ where: { id: data.userId }, select: { id: true, isActive: true } });
  if (!found) throw new NotFoundError("No such user");
  return inTransaction(db, async (tx) => {
    // Deactivating ends every session; reactivating does not bring the old cookies back.
    const user = await tx.user.update({
      where: { id: data.userId },
      data: { isActive: data.isActive, ...(data.isActive ? {} : { sessionVersion: { increment: 1 } }) },
      select: userViewSelect,
    });
    await recordAudit(
      {
        actor,
        action: data.isActive ? "user.activate" : "user.deactivate",
        entityType: "user",
        entityId: user.id,
        before: { isActive: found.isActive },
        after: { isActive: data.isActive },
      },
      tx,
    );
    return user;
  });
}

/** Every account, for the admin's user list. */
export async function listUsers(actor: Actor | null, db: DbOrTx = prisma): Promise<UserView[]> {
  requirePermission(actor, "users:manage");
  return listUsersQuery(db);
}

import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { hashPassword } from "@/lib/auth/password";
import { ConflictError, ValidationError } from "@/lib/errors";
import { inTransaction, recordAudit } from "@/lib/audit";
import { prisma, type Db } from "@/lib/db";
import { AcceptInvitationInput, InviteUserInput, type UserView } from "./schemas";
import { findUserIdByEmail, insertUser } from "./queries";
import { newPseudonym } from "./pseudonym";

function hashToken(token: string) {
  return createHash("sha256").update(token).digest("hex");
}

export interface CreatedInvitation {
  id: string;
  email: string;
  role: string;
  expiresAt: Date;
  /** Shown once to the admin; only its hash is stored. */
  path: string;
}

/** Admins invite a person by a one-time link that expires. */
export async function inviteUser(
  actor: Actor | null,
  input: z.input<typeof InviteUserInput>,
  db: Db = prisma,
): Promise<CreatedInvitation> {
  requirePermission(actor, "users:manage");
  const data = InviteUserInput.parse(input);
  const existing = await findUserIdByEmail(data.email, db);
  if (existing) throw new ConflictError(`A user with the email ${data.email} already exists`);
  const token = randomBytes(32).toString("base64url");
  const invitation = await inTransaction(db, async (tx) => {
    const created = await tx.invitation.create({
      data: {
        email: data.email,
        role: data.role,
        tokenHash: hashToken(token),
        expiresAt: new Date(Date.now() + data.validForHours * 3600_000),
        createdById: actor.id,
      },
      select: { id: true, email: true, role: true, expiresAt: true },
    });
    // The invitation's id stands for the user until they accept (the token is never recorded).
    await recordAudit(
      {
        actor,
        action: "user.invite",
        entityType: "user",
        entityId: created.id,
        after: { email: created.email, role: created.role, expiresAt: created.expiresAt.toISOString() },
      },
      tx,
    );
    return created;
  });
  return { ...invitation, path: `/invite/${token}` };
}

/** What the invitation page shows before the person sets a password. */
export async function describeInvitation(token: string, db: Db = prisma) {
  const inv = await db.invitation.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { email: true, role: true, expiresAt: true, usedAt: true },
  });
  if (!inv) return { state: "invalid" as const };
  if (inv.usedAt) return { state: "used" as const };
  if (inv.expiresAt < new Date()) return { state: "expired" as const };
  return { state: "valid" as const, email: inv.email, role: inv.role };
}

/**
 * The invited person sets a name and password. Marking the invitation used and creating the
 * user happen in one transaction, and the `usedAt IS NULL` condition makes a second use of the
 * same link (a double submit, two tabs) fail rather than create two accounts.
 */
export async function acceptInvitation(
  input: z.input<typeof AcceptInvitationInput>,
  db: Db = prisma,
): Promise<UserView> {
  const data = AcceptInvitationInput.parse(input);
  const passwordHash = await hashPassword(data.password);
  return db.$transaction(async (tx) => {
    const now = new Date();
    const claimed = await tx.invitation.updateManyAndReturn({
      where: { tokenHash: hashToken(data.token), usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
      select: { email: true, role: true },
    });
    if (claimed.length !== 1) {
      throw new ValidationError(
        "This invitation link is invalid, expired or already used. Ask an admin for a new one.",
      );
    }
    const { email, role } = claimed[0];
    const existing = await findUserIdByEmail(email, tx);
    if (existing) throw new ConflictError(`A user with the email ${email} already exists; sign in instead`);
    const user = await insertUser({ email, role, name: data.name, passwordHash, pseudonym: newPseudonym(role) }, tx);
    await recordAudit(
      {
        actor: { id: user.id },
        action: "user.invitation-accepted",
        entityType: "user",
        entityId: user.id,
        after: { email, role },
      },
      tx,
    );
    return user;
  });
}

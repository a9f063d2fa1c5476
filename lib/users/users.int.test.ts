import { afterAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { deleteUsers, FACTORY_PASSWORD, makeUser, uniq } from "@/prisma/testing/factories";
import { MAX_FAILURES_PER_ADDRESS, MAX_FAILURES_PER_EMAIL, MAX_FAILURES_PER_EMAIL_AND_ADDRESS } from "./authenticate";
import {
  acceptInvitation,
  authenticate,
  createUser,
  describeInvitation,
  inviteUser,
  resetPassword,
  setUserActive,
} from "./index";

const made: string[] = [];
afterAll(async () => {
  await prisma.user.deleteMany({ where: { email: { contains: "@users-int.test" } } });
  await deleteUsers(...made);
});

async function admin() {
  const a = await makeUser("ADMIN");
  made.push(a.id);
  return a;
}
const ip = () => uniq("ip");

describe("users", () => {
  it("an admin creates a user who can then sign in; the hash never comes back", async () => {
    const actor = await admin();
    const email = `${uniq()}@users-int.test`;
    const user = await createUser(actor, { email, name: "New Person", role: "ANNOTATOR", password: "a-long-password" });
    expect(user).not.toHaveProperty("passwordHash");
    const fromDb = await prisma.user.findUnique({ where: { id: user.id } });
    expect(fromDb).not.toHaveProperty("passwordHash");
    expect((await authenticate({ email, password: "a-long-password", ipAddress: ip() }))?.id).toBe(user.id);
  });

  it("refuses a second user with the same email, whatever its case", async () => {
    const actor = await admin();
    const email = `${uniq()}@users-int.test`;
    await createUser(actor, { email, name: "One", role: "ANNOTATOR", password: "a-long-password" });
    await expect(
      createUser(actor, { email: email.toUpperCase(), name: "Two", role: "ANNOTATOR", password: "a-long-password" }),
    ).rejects.toThrow(/already exists/);
  });

  it("gives the same answer for a wrong password and an unknown email", async () => {
    const user = await makeUser("ANNOTATOR");
    made.push(user.id);
    const wrong = await authenticate({ email: user.email, password: "nope-nope-nope", ipAddress: ip() });
    const unknown = await authenticate({
      email: `${uniq()}@nowhere.test`,
      password: "nope-nope-nope",
      ipAddress: ip(),
    });
    expect(wrong).toBeNull();
    expect(unknown).toBeNull();
  });

  it("locks an email from one address after repeated failures, for existing and unknown accounts alike", async () => {
    const user = await makeUser("ANNOTATOR");
    made.push(user.id);
    for (const email of [user.email, `${uniq()}@nowhere.test`]) {
      const address = ip();
      for (let i = 0; i < MAX_FAILURES_PER_EMAIL_AND_ADDRESS; i++)
        await authenticate({ email, password: "wrong-password", ipAddress: address });
      await expect(authenticate({ email, password: FACTORY_PASSWORD, ipAddress: address })).rejects.toThrow(
        /Too many sign-in attempts. Try again in \d+ minutes?/,
      );
    }
  });

  it("a guesser at one address cannot lock the owner out: the owner signs in from their own address", async () => {
    const user = await makeUser("RESEARCHER");
    made.push(user.id);
    const attacker = ip();
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL_AND_ADDRESS + 3; i++)
      await authenticate({ email: user.email, password: "guess", ipAddress: attacker }).catch(() => null);
    expect((await authenticate({ email: user.email, password: FACTORY_PASSWORD, ipAddress: ip() }))?.id).toBe(user.id);
  });

  it("checks and records atomically: 50 concurrent guesses at one account from one address evaluate only the limit", async () => {
    const user = await makeUser("ANNOTATOR");
    made.push(user.id);
    const address = ip();
    const guesses = Array.from({ length: 50 }, (_, i) => (i === 25 ? FACTORY_PASSWORD : `wrong-${i}`));
    const results = await Promise.allSettled(
      guesses.map((password) => authenticate({ email: user.email, password, ipAddress: address })),
    );
    const evaluated = results.filter((r) => r.status === "fulfilled").length;
    const refused = results.filter((r) => r.status === "rejected" && /Too many/.test(String(r.reason))).length;
    const recorded = await prisma.signInAttempt.count({ where: { email: user.email, ipAddress: address } });
    expect(evaluated).toBe(MAX_FAILURES_PER_EMAIL_AND_ADDRESS);
    expect(refused).toBe(50 - MAX_FAILURES_PER_EMAIL_AND_ADDRESS);
    expect(recorded).toBe(MAX_FAILURES_PER_EMAIL_AND_ADDRESS);
  });

  it("backs off per account across all addresses, more slowly, and per address across accounts", async () => {
    const user = await makeUser("ANNOTATOR");
    made.push(user.id);
    await Promise.all(
      Array.from({ length: MAX_FAILURES_PER_EMAIL }, () =>
        authenticate({ email: user.email, password: "spray", ipAddress: ip() }),
      ),
    );
    await expect(authenticate({ email: user.email, password: FACTORY_PASSWORD, ipAddress: ip() })).rejects.toThrow(
      /Too many sign-in attempts/,
    );
    const sprayer = ip();
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i++)
      await authenticate({ email: `${uniq()}@nowhere.test`, password: "x", ipAddress: sprayer });
    await expect(authenticate({ email: `${uniq()}@nowhere.test`, password: "x", ipAddress: sprayer })).rejects.toThrow(
      /Too many sign-in attempts/,
    );
  });

  it("a reset password replaces the old one", async () => {
    const actor = await admin();
    const user = await makeUser("RESEARCHER");
    made.push(user.id);
    await resetPassword(actor, { userId: user.id, password: "brand-new-password" });
    expect(await authenticate({ email: user.email, password: FACTORY_PASSWORD, ipAddress: ip() })).toBeNull();
    expect((await authenticate({ email: user.email, password: "brand-new-password", ipAddress: ip() }))?.id).toBe(
      user.id,
    );
  });

  it("a deactivated user cannot sign in, and an admin cannot deactivate themselves", async () => {
    const actor = await admin();
    const user = await makeUser("ANNOTATOR");
    made.push(user.id);
    await setUserActive(actor, { userId: user.id, isActive: false });
    expect(await authenticate({ email: user.email, password: FACTORY_PASSWORD, ipAddress: ip() })).toBeNull();
    await expect(setUserActive(actor, { userId: actor.id, isActive: false })).rejects.toThrow(/your own account/);
  });

  it("an invitation link works once, then reads as used", async () => {
    const actor = await admin();
    const email = `${uniq()}@users-int.test`;
    const inv = await inviteUser(actor, { email, role: "ANNOTATOR" });
    const token = inv.path.split("/").pop()!;
    expect(await describeInvitation(token)).toEqual({ state: "valid", email, role: "ANNOTATOR" });
    // Two submissions at once (a double click): exactly one account.
    const results = await Promise.allSettled([
      acceptInvitation({ token, name: "Invited", password: "invited-password" }),
      acceptInvitation({ token, name: "Invited", password: "invited-password" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await prisma.user.count({ where: { email } })).toBe(1);
    expect((await describeInvitation(token)).state).toBe("used");
    expect((await authenticate({ email, password: "invited-password", ipAddress: ip() }))?.role).toBe("ANNOTATOR");
    // Both the invitation and its one acceptance are in the audit trail (issue 14, item 14), the token never.
    const user = await prisma.user.findUniqueOrThrow({ where: { email }, select: { id: true } });
    const events = await prisma.auditEvent.findMany({
      where: { entityId: { in: [inv.id, user.id] } },
      select: { action: true, actorId: true, after: true },
      orderBy: { createdAt: "asc" },
    });
    expect(events.map((e) => [e.action, e.actorId])).toEqual([
      ["user.invite", actor.id],
      ["user.invitation-accepted", user.id],
    ]);
    expect(JSON.stringify(events)).not.toContain(token);
  });

  it("an expired invitation is refused with a message that says what to do", async () => {
    const actor = await admin();
    const email = `${uniq()}@users-int.test`;
    const inv = await inviteUser(actor, { email, role: "ANNOTATOR", validForHours: 1 });
    await prisma.invitation.update({ where: { id: inv.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const token = inv.path.split("/").pop()!;
    expect((await describeInvitation(token)).state).toBe("expired");
    await expect(acceptInvitation({ token, name: "Late", password: "late-password-1" })).rejects.toThrow(
      /Ask an admin for a new one/,
    );
  });
});

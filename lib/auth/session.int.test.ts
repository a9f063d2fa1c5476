import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { prisma } from "@/lib/db";
import { ForbiddenError, UnauthorizedError } from "@/lib/errors";
import { deleteUsers, makeUser } from "@/prisma/testing/factories";
import { getActor, requireActor, requirePageActor } from "./session";
import { bumpSessionVersion, sessionOptions } from "./next-auth";
import { resetPassword, setUserActive } from "@/lib/users";

// Reading the cookie is lib/auth/session-cookie.test.ts's business; what is tested here is what the app makes of it.
const cookie = vi.hoisted(() => ({ session: null as { user: { id: string }; sessionVersion?: number } | null }));
vi.mock("@/lib/auth/session-cookie", () => ({
  readSession: async () =>
    cookie.session && { userId: cookie.session.user.id, sessionVersion: cookie.session.sessionVersion ?? 0 },
}));
vi.mock("next/navigation", () => ({
  redirect: (url: string) => {
    throw Object.assign(new Error("redirect"), { url });
  },
  forbidden: () => {
    throw new Error("forbidden");
  },
}));

const made: string[] = [];
afterAll(() => deleteUsers(...made));
beforeEach(() => {
  cookie.session = null;
});

async function signedIn(role: "ADMIN" | "RESEARCHER" | "ANNOTATOR") {
  const user = await makeUser(role);
  made.push(user.id);
  cookie.session = { user: { id: user.id } };
  return user;
}

describe("the signed-in actor", () => {
  it("is the user the session names, as the database has them now", async () => {
    const user = await signedIn("RESEARCHER");
    expect(await getActor()).toEqual({ id: user.id, role: "RESEARCHER", email: user.email, name: user.name });
    await prisma.user.update({ where: { id: user.id }, data: { role: "ANNOTATOR" }, select: { id: true } });
    expect((await getActor())?.role).toBe("ANNOTATOR");
  });

  it("is nobody once the account is deactivated, whatever the cookie still says", async () => {
    const user = await signedIn("ADMIN");
    await prisma.user.update({ where: { id: user.id }, data: { isActive: false }, select: { id: true } });
    expect(await getActor()).toBeNull();
    await expect(requireActor("users:manage")).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it("is nobody without a session or for a session naming a deleted user", async () => {
    expect(await getActor()).toBeNull();
    cookie.session = { user: { id: "00000000-0000-4000-8000-000000000000" } };
    expect(await getActor()).toBeNull();
  });

  it("is nobody, not a server error, for a session whose user id is not a uuid", async () => {
    cookie.session = { user: { id: "not-a-uuid" } };
    expect(await getActor()).toBeNull();
    cookie.session = { user: { id: "00000000-0000-4000-8000-000000000000' OR true --" } };
    expect(await getActor()).toBeNull();
  });
});

describe("revoking sessions (a copied cookie stops working)", () => {
  async function admin() {
    const a = await makeUser("ADMIN");
    made.push(a.id);
    return { id: a.id, role: "ADMIN" as const, email: a.email, name: a.name };
  }
  // The cookie as next-auth decodes it, copied before the event; getActor is memoised per
  // request, so each check is a fresh session object (a fresh request).
  const copy = (id: string, sessionVersion: number) => ({ user: { id }, sessionVersion });

  it("an admin's password reset ends the user's sessions", async () => {
    const user = await signedIn("RESEARCHER");
    const copied = copy(user.id, 0);
    cookie.session = { ...copied };
    expect((await getActor())?.id).toBe(user.id);
    await resetPassword(await admin(), { userId: user.id, password: "a-brand-new-password" });
    cookie.session = { ...copied };
    expect(await getActor()).toBeNull();
  });

  it("signing out ends the session everywhere, through next-auth's signOut event", async () => {
    const user = await signedIn("ANNOTATOR");
    const copied = copy(user.id, 0);
    await sessionOptions().events!.signOut!({ token: { sub: user.id }, session: null as never });
    cookie.session = { ...copied };
    expect(await getActor()).toBeNull();
    // A new sign-in is issued the new version and works.
    cookie.session = copy(user.id, 1);
    expect((await getActor())?.id).toBe(user.id);
  });

  it("deactivating ends sessions, and reactivating does not revive the old cookie", async () => {
    const user = await signedIn("RESEARCHER");
    const copied = copy(user.id, 0);
    const a = await admin();
    await setUserActive(a, { userId: user.id, isActive: false });
    await setUserActive(a, { userId: user.id, isActive: true });
    cookie.session = { ...copied };
    expect(await getActor()).toBeNull();
  });

  it("a bump leaves other users' sessions alone", async () => {
    const other = await signedIn("ADMIN");
    const someone = await makeUser("ANNOTATOR");
    made.push(someone.id);
    await bumpSessionVersion(someone.id);
    cookie.session = copy(other.id, 0);
    expect((await getActor())?.id).toBe(other.id);
  });
});

describe("page and action guards", () => {
  it("send a visitor without a session to sign in, coming back to the page", async () => {
    await expect(requirePageActor("results:read", "/studies/x/results")).rejects.toMatchObject({
      url: "/sign-in?callbackUrl=%2Fstudies%2Fx%2Fresults",
    });
    await expect(requireActor("results:read")).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it("refuse a role the permission table does not allow, and let an allowed one through", async () => {
    const annotator = await signedIn("ANNOTATOR");
    await expect(requirePageActor("users:manage", "/admin/users")).rejects.toThrow("forbidden");
    await expect(requireActor("users:manage")).rejects.toBeInstanceOf(ForbiddenError);
    expect((await requirePageActor("annotation:work", "/tasks")).id).toBe(annotator.id);
    expect((await requirePageActor(null, "/")).id).toBe(annotator.id);
    expect((await requireActor("annotation:work")).id).toBe(annotator.id);
  });
});

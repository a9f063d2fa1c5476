import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { prisma } from "@/lib/db";
import { ForbiddenError, UnauthorizedError } from "@/lib/errors";
import { deleteUsers, makeUser } from "@/prisma/testing/factories";
import { getActor, requireActor, requirePageActor } from "./session";

// The cookie is next-auth's business; what is tested here is what the app makes of it.
const cookie = vi.hoisted(() => ({ session: null as { user: { id: string } } | null }));
vi.mock("next-auth", () => ({ getServerSession: async () => cookie.session }));
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

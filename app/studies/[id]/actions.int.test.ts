import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { prisma } from "@/lib/db";
import type { Actor } from "@/lib/auth/permissions";
import { deleteUsers, makeUser } from "@/prisma/testing/factories";
import { makeStudyFixture, studyInput, type StudyFixture } from "@/prisma/testing/study-fixture";
import { addCollaborator, createStudy, listCollaborators } from "@/lib/studies";
import { addCollaboratorAction, removeCollaboratorAction } from "./actions";
import { launchStudyAction } from "../actions";

// The session cookie is next-auth's business (see lib/auth/session.int.test.ts); the real getActor
// reads the user it names from the database. revalidatePath needs a Next request to refresh.
const cookie = vi.hoisted(() => ({ session: null as { user: { id: string } } | null }));
vi.mock("@/lib/auth/session-cookie", () => ({
  readSession: async () => cookie.session && { userId: cookie.session.user.id, sessionVersion: 0 },
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
const as = (a: Actor | null) => (cookie.session = a && { user: { id: a.id } });

let f: StudyFixture;
let studyId: string;
let reader: Actor, manager: Actor, other: Actor, admin: Actor, annotator: Actor;
beforeAll(async () => {
  f = await makeStudyFixture({ annotators: 1 });
  [reader, manager, other, admin] = await Promise.all([
    makeUser("RESEARCHER"),
    makeUser("RESEARCHER"),
    makeUser("RESEARCHER"),
    makeUser("ADMIN"),
  ]);
  annotator = f.annotators[0];
  ({ id: studyId } = await createStudy(f.researcher, studyInput(f, { name: `${f.tag} actions` })));
  await addCollaborator(f.researcher, { studyId, email: reader.email, access: "READ" });
  await addCollaborator(f.researcher, { studyId, email: manager.email, access: "MANAGE" });
});
afterAll(async () => {
  await prisma.auditEvent.deleteMany({ where: { entityId: studyId } });
  await prisma.study.deleteMany({ where: { id: studyId } });
  await deleteUsers(reader.id, manager.id, other.id, admin.id);
  await f?.remove();
});
const people = async () => (await listCollaborators(f.researcher, studyId)).map((c) => [c.email, c.access]);

describe("sharing a study through the study page's actions", () => {
  it("refuses a READ or MANAGE collaborator (403), a stranger (404), an annotator and a signed-out caller", async () => {
    const before = await people();
    const add = { studyId, email: other.email, access: "MANAGE" };
    as(reader);
    expect(await addCollaboratorAction(add)).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await removeCollaboratorAction({ studyId, userId: manager.id })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    as(manager);
    expect(await addCollaboratorAction(add)).toMatchObject({ ok: false, error: { code: "forbidden" } });
    as(other);
    expect(await addCollaboratorAction(add)).toMatchObject({ ok: false, error: { code: "not_found" } });
    as(annotator);
    expect(await addCollaboratorAction(add)).toMatchObject({ ok: false, error: { code: "forbidden" } });
    as(null);
    expect((await addCollaboratorAction(add)).ok).toBe(false);
    expect(await people()).toEqual(before);
  });

  it("lets the owner add and remove, and an admin too", async () => {
    as(f.researcher);
    expect(await addCollaboratorAction({ studyId, email: other.email, access: "READ" })).toMatchObject({
      ok: true,
      data: { userId: other.id, access: "READ" },
    });
    expect(await people()).toContainEqual([other.email, "READ"]);
    as(admin);
    expect(await removeCollaboratorAction({ studyId, userId: other.id })).toEqual({ ok: true, data: { removed: 1 } });
    expect((await people()).map(([email]) => email)).not.toContain(other.email);
  });

  it("tells the form what to fix: not a researcher, or a bad access level", async () => {
    as(f.researcher);
    expect(await addCollaboratorAction({ studyId, email: annotator.email, access: "READ" })).toMatchObject({
      ok: false,
      error: { code: "validation", fields: { email: "Not an active researcher" } },
    });
    expect(await addCollaboratorAction({ studyId, email: other.email, access: "OWNER" })).toMatchObject({
      ok: false,
      error: { code: "validation", fields: { access: "Access is READ or MANAGE" } },
    });
  });
});

describe("launching from the study page", () => {
  it("answers a design the participants cannot complete with the message the page shows, and leaves a draft", async () => {
    // One annotator takes part; k=2 needs two different annotators on every item.
    as(f.researcher);
    expect(await launchStudyAction({ studyId })).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: "validation",
        message:
          "This design cannot be completed. Each item needs 1 student x k=2 = 2 different annotators, since one annotator rates at most one pair of an item; the study has 1 annotator: add 1 annotator or lower k to 1.",
      }),
    });
    expect(await prisma.study.findUniqueOrThrow({ where: { id: studyId }, select: { status: true } })).toEqual({
      status: "DRAFT",
    });
  });
});

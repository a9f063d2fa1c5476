import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/permissions";
import { deleteUsers, makeUser } from "@/prisma/testing/factories";
import { makeStudyFixture, studyInput, type StudyFixture } from "@/prisma/testing/study-fixture";
import {
  addCollaborator,
  createStudy,
  getRecentStudyAudit,
  getStudyPeople,
  listCollaboratorChoices,
  listCollaborators,
  removeCollaborator,
  studyPermissions,
} from "./index";

// What the study page's "People with access" and "Audit trail" sections are built from.
let f: StudyFixture;
let studyId: string;
let other: Actor, reader: Actor, manager: Actor, admin: Actor, inactive: Actor, annotator: Actor;
beforeAll(async () => {
  f = await makeStudyFixture({ annotators: 1 });
  [other, reader, manager, admin, inactive, annotator] = await Promise.all([
    makeUser("RESEARCHER"),
    makeUser("RESEARCHER"),
    makeUser("RESEARCHER"),
    makeUser("ADMIN"),
    makeUser("RESEARCHER", { isActive: false }),
    makeUser("ANNOTATOR"),
  ]);
  ({ id: studyId } = await createStudy(f.researcher, studyInput(f, { name: `${f.tag} shared` })));
  await addCollaborator(f.researcher, { studyId, email: reader.email, access: "READ" });
  await addCollaborator(f.researcher, { studyId, email: manager.email, access: "MANAGE" });
});
afterAll(async () => {
  await prisma.auditEvent.deleteMany({ where: { entityId: studyId } });
  await prisma.study.deleteMany({ where: { id: studyId } });
  await deleteUsers(other.id, reader.id, manager.id, admin.id, inactive.id, annotator.id);
  await f?.remove();
});

describe("who can be added to a study", () => {
  it("is every active researcher who is neither the owner nor already a collaborator", async () => {
    const ids = (await listCollaboratorChoices(f.researcher, studyId)).map((u) => u.id);
    expect(ids).toContain(other.id);
    for (const no of [f.researcher, reader, manager, inactive, annotator, admin]) expect(ids).not.toContain(no.id);
    // admins may share any study and are offered the same people
    const forAdmin = (await listCollaboratorChoices(admin, studyId)).map((u) => u.id);
    expect(forAdmin).toContain(other.id);
    expect(forAdmin).not.toContain(f.researcher.id);
  });

  it("is the owner's and admins' business: a MANAGE or READ collaborator is refused, a stranger told nothing", async () => {
    await expect(listCollaboratorChoices(manager, studyId)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(listCollaboratorChoices(reader, studyId)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(listCollaboratorChoices(other, studyId)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("someone offered can be added, is then listed and no longer offered, and is offered again once removed", async () => {
    const offered = await listCollaboratorChoices(f.researcher, studyId);
    const them = offered.find((u) => u.id === other.id)!;
    await addCollaborator(f.researcher, { studyId, email: them.email, access: "READ" });
    expect((await listCollaboratorChoices(f.researcher, studyId)).map((u) => u.id)).not.toContain(other.id);
    expect(await listCollaborators(reader, studyId)).toContainEqual({ ...them, access: "READ" });
    await removeCollaborator(f.researcher, { studyId, userId: other.id });
    expect((await listCollaboratorChoices(f.researcher, studyId)).map((u) => u.id)).toContain(other.id);
  });
});

describe("what the study page shows to whom", () => {
  it("lists the owner and each collaborator with their access to anyone who may read the study", async () => {
    const people = await getStudyPeople(reader, studyId);
    expect(people.owner).toEqual({ id: f.researcher.id, email: f.researcher.email, name: f.researcher.name });
    expect(people.collaborators).toEqual([
      { id: reader.id, email: reader.email, name: reader.name, access: "READ" },
      { id: manager.id, email: manager.email, name: manager.name, access: "MANAGE" },
    ]);
    await expect(getStudyPeople(other, studyId)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("follows the study access table for each relation", async () => {
    expect(await studyPermissions(f.researcher, studyId)).toEqual({
      read: true,
      manage: true,
      share: true,
      audit: true,
    });
    expect(await studyPermissions(admin, studyId)).toEqual({ read: true, manage: true, share: true, audit: true });
    expect(await studyPermissions(manager, studyId)).toEqual({ read: true, manage: true, share: false, audit: false });
    expect(await studyPermissions(reader, studyId)).toEqual({ read: true, manage: false, share: false, audit: false });
    expect(await studyPermissions(other, studyId)).toEqual({ read: false, manage: false, share: false, audit: false });
    expect(await studyPermissions(f.researcher, "not-a-uuid")).toEqual({
      read: false,
      manage: false,
      share: false,
      audit: false,
    });
  });
});

describe("the study page's audit trail", () => {
  it("is the newest 50 events, newest first, with who did it", async () => {
    const base = Date.now() - 3_600_000;
    await prisma.auditEvent.createMany({
      data: Array.from({ length: 60 }, (_, i) => ({
        actorId: manager.id,
        action: `test.step-${i}`,
        entityType: "study",
        entityId: studyId,
        after: { step: i },
        createdAt: new Date(base + i * 1000),
      })),
    });
    const all = await prisma.auditEvent.count({ where: { entityId: studyId } });
    expect(all).toBeGreaterThan(60); // the collaborator additions are recorded too, before these
    const trail = await getRecentStudyAudit(f.researcher, studyId, 50);
    expect(trail).toHaveLength(50);
    const times = trail.map((e) => e.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    // the inserted events are an hour old, so the real ones (the collaborators added just now) come first
    expect(trail[0].action).toBe("study.collaborator");
    expect(trail.map((e) => e.action)).toContain("test.step-59");
    expect(trail.map((e) => e.action)).not.toContain("test.step-0");
    expect(trail.find((e) => e.action === "test.step-59")?.actorEmail).toBe(manager.email);
    expect(await getRecentStudyAudit(admin, studyId)).toHaveLength(50);
  });

  it("is refused to collaborators and hidden from strangers", async () => {
    await expect(getRecentStudyAudit(manager, studyId)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(getRecentStudyAudit(reader, studyId)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(getRecentStudyAudit(other, studyId)).rejects.toBeInstanceOf(NotFoundError);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/permissions";
import { deleteUsers, makeUser } from "@/prisma/testing/factories";
import { makeStudyFixture, studyInput, type StudyFixture } from "@/prisma/testing/study-fixture";
import {
  addCollaborator,
  createStudy,
  getStudy,
  getStudyAuditTrail,
  getStudyMonitor,
  launchStudy,
  listStudies,
  removeCollaborator,
  requireStudyAccess,
  setParticipants,
  setStudyStatus,
  updateStudySettings,
} from "./index";

let f: StudyFixture;
let studyId: string;
let other: Actor, reader: Actor, manager: Actor, admin: Actor;
beforeAll(async () => {
  f = await makeStudyFixture({ annotators: 2 });
  [other, reader, manager, admin] = await Promise.all([
    makeUser("RESEARCHER"),
    makeUser("RESEARCHER"),
    makeUser("RESEARCHER"),
    makeUser("ADMIN"),
  ]);
  ({ id: studyId } = await createStudy(f.researcher, studyInput(f, { name: `${f.tag} owned` })));
});
afterAll(async () => {
  await prisma.auditEvent.deleteMany({ where: { entityId: studyId } });
  await prisma.study.deleteMany({ where: { id: studyId } });
  await deleteUsers(other.id, reader.id, manager.id, admin.id);
  await f?.remove();
});

describe("a study belongs to its creator", () => {
  it("another researcher can neither see, read, export nor pause it: to them it does not exist", async () => {
    expect((await listStudies(other)).map((s) => s.id)).not.toContain(studyId);
    await expect(getStudy(other, { studyId })).rejects.toBeInstanceOf(NotFoundError);
    await expect(getStudyMonitor(other, { studyId })).rejects.toBeInstanceOf(NotFoundError);
    await expect(requireStudyAccess(other, studyId, "read")).rejects.toBeInstanceOf(NotFoundError); // results, exports
    await expect(updateStudySettings(other, { studyId, name: `${f.tag} hijacked` })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(launchStudy(other, { studyId })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("the owner adds collaborators: READ may read but not change, MANAGE may change but not share", async () => {
    await addCollaborator(f.researcher, { studyId, email: reader.email, access: "READ" });
    await addCollaborator(f.researcher, { studyId, email: manager.email, access: "MANAGE" });
    expect((await listStudies(reader)).map((s) => s.id)).toContain(studyId);
    expect((await getStudy(reader, { studyId })).id).toBe(studyId);
    await expect(updateStudySettings(reader, { studyId, description: "x" })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(setParticipants(reader, { studyId, userIds: [] })).rejects.toBeInstanceOf(ForbiddenError);
    await updateStudySettings(manager, { studyId, description: "changed by a collaborator" });
    await expect(addCollaborator(manager, { studyId, email: other.email, access: "MANAGE" })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(getStudyAuditTrail(manager, studyId)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("admins see and manage every study", async () => {
    expect((await listStudies(admin)).map((s) => s.id)).toContain(studyId);
    expect((await getStudy(admin, { studyId })).id).toBe(studyId);
  });

  it("removing a collaborator takes the access away", async () => {
    await removeCollaborator(f.researcher, { studyId, userId: reader.id });
    await expect(getStudy(reader, { studyId })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("the audit trail", () => {
  it("records launch, pause, settings, participants and collaborators with who, when, before and after", async () => {
    await launchStudy(f.researcher, { studyId });
    await setStudyStatus(manager, { studyId, status: "PAUSED" });
    const trail = await getStudyAuditTrail(f.researcher, studyId);
    const actions = trail.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(["study.collaborator", "study.settings", "study.launch", "study.pause"]),
    );
    const pause = trail.find((e) => e.action === "study.pause")!;
    expect(pause).toMatchObject({ actorId: manager.id, before: { status: "LIVE" }, after: { status: "PAUSED" } });
    expect(pause.at).toBeInstanceOf(Date);
    const settings = trail.find((e) => e.action === "study.settings")!;
    expect(settings).toMatchObject({ actorId: manager.id, after: { description: "changed by a collaborator" } });
    expect((await getStudyAuditTrail(admin, studyId)).length).toBe(trail.length);
  });

  it("writes nothing when the change is refused (same transaction)", async () => {
    const before = await prisma.auditEvent.count({ where: { entityId: studyId } });
    await expect(setStudyStatus(f.researcher, { studyId, status: "PAUSED" })).rejects.toThrow(); // already paused
    expect(await prisma.auditEvent.count({ where: { entityId: studyId } })).toBe(before);
  });
});

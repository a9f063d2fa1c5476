import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ForbiddenError, UnauthorizedError } from "@/lib/errors";
import type { Actor, Role } from "@/lib/auth/permissions";
import { deleteUsers, makeUser, uniq } from "@/prisma/testing/factories";
import { createUser, inviteUser, listUsers, resetPassword, setUserActive } from "@/lib/users";
import { listEvalSets } from "@/lib/eval-sets/list-eval-sets";
import { listStudies } from "@/lib/studies/list-studies";
import { listMyStudies } from "@/lib/annotation/list-my-studies";
import { getEvalSet, importEvalSet, previewEvalSetUpload } from "@/lib/eval-sets";
import { cancelJob, getJobProgress, listGenerationJobs, startGeneration } from "@/lib/generation";
import { createTeacherSystem, listSystems, rescanModels, updateTeacherSystem } from "@/lib/systems";

/**
 * Every role against every use case that an app route can reach. The allowed roles are written
 * out here by hand rather than read from the permission table, so the test fails when the two
 * disagree. A use case that checks nothing fails its "may not" rows.
 */
interface MatrixAction {
  name: string;
  allowed: Role[];
  call: (actor: Actor | null, ctx: { target: Actor }) => Promise<unknown>;
}

const NO_SUCH_ID = "00000000-0000-4000-8000-000000000000";

const ACTIONS: MatrixAction[] = [
  { name: "list users", allowed: ["ADMIN"], call: (a) => listUsers(a) },
  { name: "create user", allowed: ["ADMIN"], call: (a) => createUser(a, { email: `${uniq()}@matrix.test`, name: "M", role: "ANNOTATOR", password: "matrix-password" }) },
  { name: "reset password", allowed: ["ADMIN"], call: (a, { target }) => resetPassword(a, { userId: target.id, password: "matrix-password-2" }) },
  { name: "deactivate user", allowed: ["ADMIN"], call: (a, { target }) => setUserActive(a, { userId: target.id, isActive: true }) },
  { name: "invite user", allowed: ["ADMIN"], call: (a) => inviteUser(a, { email: `${uniq()}@matrix.test` }) },
  { name: "list eval sets", allowed: ["ADMIN", "RESEARCHER"], call: (a) => listEvalSets(a) },
  { name: "list studies", allowed: ["ADMIN", "RESEARCHER"], call: (a) => listStudies(a) },
  { name: "list my annotation tasks", allowed: ["ANNOTATOR"], call: (a) => listMyStudies(a) },
  { name: "preview an eval set upload", allowed: ["ADMIN"], call: (a) => previewEvalSetUpload(a, { filename: "x.csv", bytes: new TextEncoder().encode("source\nA.\n") }) },
  { name: "import an eval set", allowed: ["ADMIN"], call: (a) => importEvalSet(a, { name: uniq("matrix-set"), filename: "x.csv", bytes: new Uint8Array() }) },
  { name: "view an eval set", allowed: ["ADMIN", "RESEARCHER"], call: (a) => getEvalSet(a, NO_SUCH_ID) },
  { name: "start generation", allowed: ["ADMIN", "RESEARCHER"], call: (a) => startGeneration(a, { evalSetId: NO_SUCH_ID, systemId: NO_SUCH_ID }) },
  { name: "list generation jobs", allowed: ["ADMIN", "RESEARCHER"], call: (a) => listGenerationJobs(a, NO_SUCH_ID) },
  { name: "see job progress", allowed: ["ADMIN", "RESEARCHER"], call: (a) => getJobProgress(a, NO_SUCH_ID) },
  { name: "cancel a job", allowed: ["ADMIN", "RESEARCHER"], call: (a) => cancelJob(a, NO_SUCH_ID) },
  { name: "list systems", allowed: ["ADMIN", "RESEARCHER"], call: (a) => listSystems(a) },
  { name: "add a teacher system", allowed: ["ADMIN"], call: (a) => createTeacherSystem(a, { name: "", baseUrl: "x", modelName: "" }) },
  { name: "rescan models", allowed: ["ADMIN"], call: (a) => rescanModels(a) },
  { name: "edit a teacher system", allowed: ["ADMIN"], call: (a) => updateTeacherSystem(a, { id: NO_SUCH_ID, baseUrl: "x", modelName: "" }) },
];

const actors: Partial<Record<Role, Actor>> = {};
let target: Actor;

beforeAll(async () => {
  for (const role of ["ADMIN", "RESEARCHER", "ANNOTATOR"] as Role[]) actors[role] = await makeUser(role);
  target = await makeUser("ANNOTATOR");
});
afterAll(async () => {
  const { prisma } = await import("@/lib/db");
  await prisma.user.deleteMany({ where: { email: { endsWith: "@matrix.test" } } });
  await deleteUsers(...Object.values(actors).map((a) => a!.id), target.id);
});

describe("every role against every action", () => {
  for (const action of ACTIONS) {
    for (const role of ["ADMIN", "RESEARCHER", "ANNOTATOR"] as Role[]) {
      const allowed = action.allowed.includes(role);
      it(`${role} ${allowed ? "may" : "may not"} ${action.name}`, async () => {
        const outcome = await action.call(actors[role]!, { target }).then(() => null, (e: unknown) => e);
        if (allowed) expect(outcome instanceof ForbiddenError || outcome instanceof UnauthorizedError).toBe(false);
        else expect(outcome).toBeInstanceOf(ForbiddenError);
      });
    }
    it(`nobody signed in may ${action.name}`, async () => {
      await expect(action.call(null, { target })).rejects.toBeInstanceOf(UnauthorizedError);
    });
  }
});

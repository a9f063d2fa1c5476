import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ForbiddenError, UnauthorizedError } from "@/lib/errors";
import type { Actor, Role } from "@/lib/auth/permissions";
import { deleteUsers, makeUser, uniq } from "@/prisma/testing/factories";
import { createUser, inviteUser, listUsers, resetPassword, setUserActive } from "@/lib/users";
import { listEvalSets } from "@/lib/eval-sets";
import { listStudies } from "@/lib/studies";
import { listMyStudies } from "@/lib/annotation";
import { getEvalSet, importEvalSet, previewEvalSetUpload } from "@/lib/eval-sets";
import { listGenerationJobs, startGeneration } from "@/lib/generation";
import { cancelJob, getJobProgress } from "@/lib/jobs";
import { getJudgeAgreement, listJudgeJobs, startJudging } from "@/lib/judge";
import { trainingPairsManifest } from "@/lib/distillation";
import { exportPayments, getCrowdOverview, updateCrowdSettings } from "@/lib/crowd";
import { createTeacherSystem, listSystems, rescanModels, updateTeacherSystem } from "@/lib/systems";
import {
  createStudy,
  editInstructions,
  getStudy,
  getStudyMonitor,
  launchStudy,
  listAnnotatorChoices,
  listStudyOptions,
  previewStudy,
  setParticipantPaused,
  setParticipants,
  setStudyStatus,
  updateStudySettings,
} from "@/lib/studies";
import {
  acknowledgeInstructions,
  getMyAssignment,
  getNextItem,
  getTaskOverview,
  renewLease,
  skipItem,
  submitRating,
} from "@/lib/annotation";

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
  {
    name: "create user",
    allowed: ["ADMIN"],
    call: (a) =>
      createUser(a, { email: `${uniq()}@matrix.test`, name: "M", role: "ANNOTATOR", password: "matrix-password" }),
  },
  {
    name: "reset password",
    allowed: ["ADMIN"],
    call: (a, { target }) => resetPassword(a, { userId: target.id, password: "matrix-password-2" }),
  },
  {
    name: "deactivate user",
    allowed: ["ADMIN"],
    call: (a, { target }) => setUserActive(a, { userId: target.id, isActive: true }),
  },
  { name: "invite user", allowed: ["ADMIN"], call: (a) => inviteUser(a, { email: `${uniq()}@matrix.test` }) },
  { name: "list eval sets", allowed: ["ADMIN", "RESEARCHER"], call: (a) => listEvalSets(a) },
  { name: "list studies", allowed: ["ADMIN", "RESEARCHER"], call: (a) => listStudies(a) },
  { name: "list my annotation tasks", allowed: ["ANNOTATOR"], call: (a) => listMyStudies(a) },
  {
    name: "preview an eval set upload",
    allowed: ["ADMIN"],
    call: (a) => previewEvalSetUpload(a, { filename: "x.csv", bytes: new TextEncoder().encode("source\nA.\n") }),
  },
  {
    name: "import an eval set",
    allowed: ["ADMIN"],
    call: (a) => importEvalSet(a, { name: uniq("matrix-set"), filename: "x.csv", bytes: new Uint8Array() }),
  },
  { name: "view an eval set", allowed: ["ADMIN", "RESEARCHER"], call: (a) => getEvalSet(a, NO_SUCH_ID) },
  {
    name: "start generation",
    allowed: ["ADMIN", "RESEARCHER"],
    call: (a) => startGeneration(a, { evalSetId: NO_SUCH_ID, systemId: NO_SUCH_ID }),
  },
  { name: "list generation jobs", allowed: ["ADMIN", "RESEARCHER"], call: (a) => listGenerationJobs(a, NO_SUCH_ID) },
  { name: "see job progress", allowed: ["ADMIN", "RESEARCHER"], call: (a) => getJobProgress(a, NO_SUCH_ID) },
  { name: "cancel a job", allowed: ["ADMIN", "RESEARCHER"], call: (a) => cancelJob(a, NO_SUCH_ID) },
  { name: "list systems", allowed: ["ADMIN", "RESEARCHER"], call: (a) => listSystems(a) },
  {
    name: "add a teacher system",
    allowed: ["ADMIN"],
    call: (a) => createTeacherSystem(a, { name: "", baseUrl: "x", modelName: "" }),
  },
  { name: "rescan models", allowed: ["ADMIN"], call: (a) => rescanModels(a) },
  {
    name: "run the LLM judge",
    allowed: ["ADMIN", "RESEARCHER"],
    call: (a) => startJudging(a, { studyId: NO_SUCH_ID }),
  },
  { name: "list a study's judge jobs", allowed: ["ADMIN", "RESEARCHER"], call: (a) => listJudgeJobs(a, NO_SUCH_ID) },
  {
    name: "change a study's crowd settings",
    allowed: ["ADMIN", "RESEARCHER"],
    call: (a) => updateCrowdSettings(a, { studyId: NO_SUCH_ID, isEnabled: false }),
  },
  {
    name: "see a study's crowd link and participants",
    allowed: ["ADMIN", "RESEARCHER"],
    call: (a) => getCrowdOverview(a, { studyId: NO_SUCH_ID }),
  },
  {
    name: "export a study's crowd payments",
    allowed: ["ADMIN", "RESEARCHER"],
    call: (a) => exportPayments(a, { studyId: NO_SUCH_ID, withPlatformIds: true }),
  },
  {
    name: "see the judge's agreement",
    allowed: ["ADMIN", "RESEARCHER"],
    call: (a) => getJudgeAgreement(a, NO_SUCH_ID),
  },
  {
    name: "export distillation training pairs",
    allowed: ["ADMIN"],
    call: (a) => trainingPairsManifest(a, { evalSetId: NO_SUCH_ID, systemId: NO_SUCH_ID, settingsKey: "x" }),
  },
  {
    name: "edit a teacher system",
    allowed: ["ADMIN"],
    call: (a) => updateTeacherSystem(a, { id: NO_SUCH_ID, baseUrl: "x", modelName: "" }),
  },
  // Studies and annotation: ids that do not exist, so allowed roles get NotFound/Validation, never Forbidden.
  {
    name: "create study",
    allowed: ["ADMIN", "RESEARCHER"],
    call: (a) =>
      createStudy(a, {
        name: uniq("matrix-study"),
        evalSetId: NO_SUCH_ID,
        teacherSystemId: NO_SUCH_ID,
        teacherSettingsKey: "k",
        students: [{ systemId: NO_SUCH_ID, settingsKey: "k" }],
        annotatorsPerPair: 1,
      }),
  },
  {
    name: "update study settings",
    allowed: ["ADMIN", "RESEARCHER"],
    call: (a) => updateStudySettings(a, { studyId: NO_SUCH_ID, leaseMinutes: 5 }),
  },
  {
    name: "edit study instructions",
    allowed: ["ADMIN", "RESEARCHER"],
    call: (a) =>
      editInstructions(a, { studyId: NO_SUCH_ID, markdown: "x", criteria: [{ key: "meaning", label: "Meaning" }] }),
  },
  {
    name: "set study participants",
    allowed: ["ADMIN", "RESEARCHER"],
    call: (a) => setParticipants(a, { studyId: NO_SUCH_ID, userIds: [] }),
  },
  { name: "launch study", allowed: ["ADMIN", "RESEARCHER"], call: (a) => launchStudy(a, { studyId: NO_SUCH_ID }) },
  {
    name: "pause, resume or close study",
    allowed: ["ADMIN", "RESEARCHER"],
    call: (a) => setStudyStatus(a, { studyId: NO_SUCH_ID, status: "PAUSED" }),
  },
  { name: "view study", allowed: ["ADMIN", "RESEARCHER"], call: (a) => getStudy(a, { studyId: NO_SUCH_ID }) },
  { name: "list study options", allowed: ["ADMIN", "RESEARCHER"], call: (a) => listStudyOptions(a) },
  { name: "list annotator choices", allowed: ["ADMIN", "RESEARCHER"], call: (a) => listAnnotatorChoices(a) },
  { name: "preview study", allowed: ["ADMIN", "RESEARCHER"], call: (a) => previewStudy(a, { studyId: NO_SUCH_ID }) },
  {
    name: "monitor study annotators",
    allowed: ["ADMIN", "RESEARCHER"],
    call: (a) => getStudyMonitor(a, { studyId: NO_SUCH_ID }),
  },
  {
    name: "pause an annotator",
    allowed: ["ADMIN", "RESEARCHER"],
    call: (a, { target }) => setParticipantPaused(a, { studyId: NO_SUCH_ID, userId: target.id, isPaused: true }),
  },
  { name: "open a task", allowed: ["ANNOTATOR"], call: (a) => getTaskOverview(a, { studyId: NO_SUCH_ID }) },
  {
    name: "acknowledge instructions",
    allowed: ["ANNOTATOR"],
    call: (a) => acknowledgeInstructions(a, { studyId: NO_SUCH_ID, instructionsVersionId: NO_SUCH_ID }),
  },
  { name: "get next item", allowed: ["ANNOTATOR"], call: (a) => getNextItem(a, { studyId: NO_SUCH_ID }) },
  { name: "reopen own item", allowed: ["ANNOTATOR"], call: (a) => getMyAssignment(a, { assignmentId: NO_SUCH_ID }) },
  {
    name: "submit rating",
    allowed: ["ANNOTATOR"],
    call: (a) =>
      submitRating(a, {
        assignmentId: NO_SUCH_ID,
        instructionsVersionId: NO_SUCH_ID,
        scores: {},
        preference: "TIE",
        activeMs: 0,
      }),
  },
  {
    name: "skip or flag item",
    allowed: ["ANNOTATOR"],
    call: (a) => skipItem(a, { assignmentId: NO_SUCH_ID, action: "skip", reason: "r" }),
  },
  { name: "renew item lease", allowed: ["ANNOTATOR"], call: (a) => renewLease(a, { assignmentId: NO_SUCH_ID }) },

  {
    name: "see study results",
    allowed: ["ADMIN", "RESEARCHER"],
    call: async (a) => (await import("@/lib/results")).getStudyResults(a, { studyId: NO_SUCH_ID }),
  },
  {
    name: "see study metrics",
    allowed: ["ADMIN", "RESEARCHER"],
    call: async (a) => (await import("@/lib/results")).getStudyMetrics(a, { studyId: NO_SUCH_ID }),
  },
  {
    name: "export ratings",
    allowed: ["ADMIN", "RESEARCHER"],
    call: async (a) => (await import("@/lib/results")).exportRatings(a, { studyId: NO_SUCH_ID, format: "csv" }),
  },
  {
    name: "export computed results",
    allowed: ["ADMIN", "RESEARCHER"],
    call: async (a) => (await import("@/lib/results")).exportStudyResults(a, { studyId: NO_SUCH_ID }),
  },
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
        const outcome = await action.call(actors[role]!, { target }).then(
          () => null,
          (e: unknown) => e,
        );
        if (allowed) expect(outcome instanceof ForbiddenError || outcome instanceof UnauthorizedError).toBe(false);
        else expect(outcome).toBeInstanceOf(ForbiddenError);
      });
    }
    it(`nobody signed in may ${action.name}`, async () => {
      await expect(action.call(null, { target })).rejects.toBeInstanceOf(UnauthorizedError);
    });
  }
});

import { describe, expect, it } from "vitest";
import {
  can,
  PERMISSIONS,
  requirePermission,
  studyCan,
  type Permission,
  type Role,
  type StudyAction,
  type StudyRelation,
} from "./permissions";

// Written out by hand, not derived from the table, so a change to the table must be made twice
// on purpose: once there and once here.
const EXPECTED: Record<Permission, Role[]> = {
  "users:manage": ["ADMIN"],
  "eval-sets:manage": ["ADMIN"],
  "eval-sets:read": ["ADMIN", "RESEARCHER"],
  "systems:manage": ["ADMIN"],
  "systems:read": ["ADMIN", "RESEARCHER"],
  "generation:run": ["ADMIN", "RESEARCHER"],
  "studies:manage": ["ADMIN", "RESEARCHER"],
  "results:read": ["ADMIN", "RESEARCHER"],
  "results:export": ["ADMIN", "RESEARCHER"],
  "judge:run": ["ADMIN", "RESEARCHER"],
  "distillation:export": ["ADMIN"],
  "audit:read-all": ["ADMIN"],
  "annotation:work": ["ANNOTATOR"],
};

describe("permission table", () => {
  it("lists exactly the expected permissions", () => {
    expect([...PERMISSIONS].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const role of ["ADMIN", "RESEARCHER", "ANNOTATOR"] as Role[]) {
    for (const permission of Object.keys(EXPECTED) as Permission[]) {
      const allowed = EXPECTED[permission].includes(role);
      it(`${role} ${allowed ? "may" : "may not"} ${permission}`, () => {
        expect(can(role, permission)).toBe(allowed);
        const actor = { id: "u", role, email: "e@x", name: "n" };
        if (allowed) expect(() => requirePermission(actor, permission)).not.toThrow();
        else expect(() => requirePermission(actor, permission)).toThrow(/permission/);
      });
    }
  }

  it("refuses anyone who is not signed in", () => {
    expect(can(null, "annotation:work")).toBe(false);
    expect(() => requirePermission(null, "results:read")).toThrow(/Sign in/);
  });
});

// Study ownership, by hand as well: [role, relation to the study] -> the actions allowed.
const STUDY_EXPECTED: [Role, StudyRelation, StudyAction[]][] = [
  ["ADMIN", null, ["read", "manage", "share", "audit"]],
  ["RESEARCHER", "owner", ["read", "manage", "share", "audit"]],
  ["RESEARCHER", "MANAGE", ["read", "manage"]],
  ["RESEARCHER", "READ", ["read"]],
  ["RESEARCHER", null, []],
  ["ANNOTATOR", "READ", []],
  ["ANNOTATOR", null, []],
];

describe("study access table", () => {
  for (const [role, relation, allowed] of STUDY_EXPECTED)
    for (const action of ["read", "manage", "share", "audit"] as StudyAction[])
      it(`${role} (${relation ?? "no relation"}) ${allowed.includes(action) ? "may" : "may not"} ${action} a study`, () => {
        expect(studyCan({ role }, relation, action)).toBe(allowed.includes(action));
      });
});

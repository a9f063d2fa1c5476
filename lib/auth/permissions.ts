import { ForbiddenError, UnauthorizedError } from "@/lib/errors";

export const ROLES = ["ADMIN", "RESEARCHER", "ANNOTATOR"] as const;
export type Role = (typeof ROLES)[number];

/**
 * The one role -> permission table. Every page, action and route handler asks it through
 * `can` or `requirePermission`; nothing else decides access.
 */
const TABLE = {
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
  // The whole audit trail; a study's owner reads its own study's trail through studyCan below.
  "audit:read-all": ["ADMIN"],
  // Only annotators rate, so a researcher never sees pairs with the systems hidden from them
  // and then again with them revealed.
  "annotation:work": ["ANNOTATOR"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof TABLE;
export const PERMISSIONS = Object.keys(TABLE) as Permission[];

/** Who is acting: the signed-in user as loaded fresh from the database for this request. */
export interface Actor {
  id: string;
  role: Role;
  email: string;
  name: string;
}

export function can(role: Role | undefined | null, permission: Permission): boolean {
  if (!role) return false;
  return (TABLE[permission] as readonly Role[]).includes(role);
}

/** Throws Unauthorized without an actor and Forbidden when the role lacks the permission. */
export function requirePermission(actor: Actor | null | undefined, permission: Permission): asserts actor is Actor {
  if (!actor) throw new UnauthorizedError();
  if (!can(actor.role, permission)) throw new ForbiddenError();
}

/**
 * A user's relation to one study: its creator ("owner"), a collaborator the owner added with
 * READ or MANAGE access, or none. Admins see and manage every study whatever their relation.
 */
export type StudyRelation = "owner" | "MANAGE" | "READ" | null;
export type StudyAction = "read" | "manage" | "share" | "audit";

/**
 * The one table of what each relation may do with a study (beside the role table above, which
 * decides who may work with studies at all): read covers the study, its monitor, results, judge
 * agreement and exports; manage covers settings, instructions, participants, launch, pause,
 * close and judging; share (adding collaborators) and reading the audit trail are the owner's.
 */
const STUDY_TABLE = {
  read: ["owner", "MANAGE", "READ"],
  manage: ["owner", "MANAGE"],
  share: ["owner"],
  audit: ["owner"],
} as const satisfies Record<StudyAction, readonly Exclude<StudyRelation, null>[]>;

export function studyCan(actor: Pick<Actor, "role">, relation: StudyRelation, action: StudyAction): boolean {
  if (actor.role === "ADMIN") return true;
  if (!can(actor.role, "studies:manage") || !relation) return false;
  return (STUDY_TABLE[action] as readonly string[]).includes(relation);
}

/** Where each role lands after signing in. */
export function homePath(role: Role): string {
  return { ADMIN: "/admin", RESEARCHER: "/studies", ANNOTATOR: "/tasks" }[role];
}

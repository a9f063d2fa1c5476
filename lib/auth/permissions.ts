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

/** Where each role lands after signing in. */
export function homePath(role: Role): string {
  return { ADMIN: "/admin", RESEARCHER: "/studies", ANNOTATOR: "/tasks" }[role];
}

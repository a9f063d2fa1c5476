import type { Permission } from "@/lib/auth/permissions";

/**
 * Every kind of background job, with the one permission that guards seeing, listing and
 * cancelling it. The queue owns this table so that no caller picks the permission itself: a new
 * job type is added here, and its domain imports its type name from here.
 */
export const JOB_TYPES = {
  GENERATE: { type: "generate-outputs", permission: "generation:run" },
  JUDGE: { type: "judge-study", permission: "judge:run" },
  EMBED: { type: "embed-texts", permission: "results:read" },
  RESULTS: { type: "compute-results", permission: "results:read" },
} as const satisfies Record<string, { type: string; permission: Permission }>;

export type JobType = (typeof JOB_TYPES)[keyof typeof JOB_TYPES]["type"];

const byType = new Map<string, Permission>(Object.values(JOB_TYPES).map((t) => [t.type, t.permission]));

/** The permission that guards a job of this type; undefined for a type nobody registered. */
export function permissionForJobType(type: string): Permission | undefined {
  return byType.get(type);
}

/** Every permission that guards some job type (any one of them lets an actor ask about a job). */
export const JOB_PERMISSIONS: readonly Permission[] = [...new Set(byType.values())];

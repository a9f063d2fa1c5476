import { randomBytes } from "node:crypto";
import type { Role } from "@/lib/auth/permissions";

/** A short public handle, e.g. `ann-3f9c2a`, used in exports instead of names or emails. */
export function newPseudonym(role: Role): string {
  const prefix = { ADMIN: "adm", RESEARCHER: "res", ANNOTATOR: "ann" }[role];
  return `${prefix}-${randomBytes(3).toString("hex")}`;
}

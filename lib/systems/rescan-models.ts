import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { syncStudentSystems } from "./sync-student-systems";

/** Admins pick up model folders added to models/ since the app started. */
export async function rescanModels(actor: Actor | null) {
  requirePermission(actor, "systems:manage");
  return syncStudentSystems();
}

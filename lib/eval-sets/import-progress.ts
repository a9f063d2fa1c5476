import { NotFoundError } from "@/lib/errors";
import { requirePermission, type Actor } from "@/lib/auth/permissions";

import type { ImportProgress } from "./schemas";

export type { ImportProgress };

interface Entry extends ImportProgress {
  actorId: string;
  updatedAt: number;
}

/** A finished import's last state stays readable this long, so the page's last poll sees it. */
const KEEP_FINISHED_MS = 60_000;

/*
 * Progress lives in the memory of the process running the import, keyed by an id the page makes
 * for each upload: the import runs inside the server action that received the file, so a poll
 * served by the same process (npm start runs one) reads it without a table, a write per batch or
 * anything to clean up after a crash. On globalThis because Next bundles the action and the
 * route that polls separately, each with its own module instance.
 */
const registry = ((globalThis as unknown as { evalSetImports?: Map<string, Entry> }).evalSetImports ??= new Map());

function sweep(now: number) {
  for (const [id, e] of registry)
    if ((e.phase === "done" || e.phase === "failed") && now - e.updatedAt > KEEP_FINISHED_MS) registry.delete(id);
}

/** Records an import's progress under the page's upload id (ignored when the page sent none). */
export function reportImportProgress(uploadId: string | undefined, actorId: string, p: ImportProgress): void {
  if (!uploadId) return;
  const now = Date.now();
  const existing = registry.get(uploadId);
  // Another admin's id cannot be taken over to read or overwrite their progress.
  if (existing && existing.actorId !== actorId) return;
  registry.set(uploadId, { ...p, actorId, updatedAt: now });
  sweep(now);
}

/** The progress of the actor's own import with this upload id. */
export function getImportProgress(actor: Actor | null, uploadId: string): ImportProgress {
  requirePermission(actor, "eval-sets:manage");
  const e = registry.get(uploadId);
  // Someone else's import reads as absent: upload ids are not to be probed.
  if (!e || e.actorId !== actor.id) throw new NotFoundError("No import in progress with this id");
  return { phase: e.phase, done: e.done, total: e.total };
}

import { z } from "zod";
import { prisma, type DbOrTx } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { requirePermission, type Actor } from "@/lib/auth/permissions";

import type { ImportProgress } from "./schemas";

export type { ImportProgress };

/** Rows not updated for this long (finished, or left by a process that died) go at the next import's start. */
const KEEP_SECONDS = 60 * 60;

/**
 * Records an import's progress under the page's upload id, in the EvalSetImport table, so any web
 * process can answer the page's poll. Writes go through the client's pool, outside the import's
 * transaction (whose rows nobody else sees until it commits), one at a time and in order: a report
 * made while one is being written replaces any report still waiting, and the import never waits
 * for them, so an import holding a connection cannot stall on a pool whose connections other
 * imports hold. A failed write only costs the bar an update.
 */
export function createProgressWriter(db: DbOrTx, uploadId: string | undefined, actorId: string) {
  let waiting: ImportProgress | null = null;
  let writing: Promise<void> | null = null;
  let isFirst = true;

  async function write(p: ImportProgress) {
    if (isFirst) {
      isFirst = false;
      await db.$executeRaw`DELETE FROM "EvalSetImport" WHERE "updatedAt" < now() - ${KEEP_SECONDS}::int * interval '1 second'`;
    }
    // Another admin's id cannot be taken over to read or overwrite their progress.
    await db.$executeRaw`
      INSERT INTO "EvalSetImport" ("id", "actorId", "phase", "done", "total", "updatedAt")
      VALUES (${uploadId}::uuid, ${actorId}::uuid, ${p.phase}, ${p.done}, ${p.total}, now())
      ON CONFLICT ("id") DO UPDATE
        SET "phase" = EXCLUDED."phase", "done" = EXCLUDED."done", "total" = EXCLUDED."total", "updatedAt" = now()
        WHERE "EvalSetImport"."actorId" = EXCLUDED."actorId"`;
  }

  async function drain() {
    while (waiting) {
      const p = waiting;
      waiting = null;
      await write(p).catch(() => {});
    }
    writing = null;
  }

  return {
    report(p: ImportProgress): void {
      if (!uploadId) return;
      waiting = p;
      writing ??= drain();
    },
    /** Resolves when every report made so far is written (or failed). */
    async flush(): Promise<void> {
      await writing;
    },
  };
}

/** The progress of the actor's own import with this upload id. */
export async function getImportProgress(
  actor: Actor | null,
  uploadId: string,
  db: DbOrTx = prisma,
): Promise<ImportProgress> {
  requirePermission(actor, "eval-sets:manage");
  const e = z.uuid().safeParse(uploadId).success
    ? await db.evalSetImport.findUnique({
        where: { id: uploadId },
        select: { actorId: true, phase: true, done: true, total: true },
      })
    : null;
  // Someone else's import reads as absent: upload ids are not to be probed.
  if (!e || e.actorId !== actor.id) throw new NotFoundError("No import in progress with this id");
  return { phase: e.phase as ImportProgress["phase"], done: e.done, total: e.total };
}

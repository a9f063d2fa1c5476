import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { ConflictError } from "@/lib/errors";
import { prisma, withPgTransaction, type Db } from "@/lib/db";
import { createPageCollector, parseEvalSetStream, type EvalSetPreview } from "./parse";
import { ImportEvalSetInput, type ImportEvalSetResult } from "./schemas";
import { insertRows } from "./insert-rows";
import { createSystemResolver } from "./imported-systems";
import { createProgressWriter, type ImportProgress } from "./import-progress";
import { bodyOf, storeStreamed } from "./store-streamed";

/** Parses an upload as a stream and returns what would be imported (one page of rows), storing nothing. */
export async function previewEvalSetUpload(
  actor: Actor | null,
  input: { filename: string; bytes?: Uint8Array; file?: Blob; rowOffset?: number },
): Promise<EvalSetPreview> {
  requirePermission(actor, "eval-sets:manage");
  const page = createPageCollector(input.rowOffset);
  return page.preview(await parseEvalSetStream({ filename: input.filename, body: bodyOf(input), onRow: page.onRow }));
}

/**
 * Imports an eval set with its items, references and outputs made elsewhere, all in one
 * transaction: an error anywhere leaves nothing behind. The file is parsed as it is read and
 * stored batch by batch, so memory holds a batch, not the file. Unless `dropBadRows`, any row with
 * an error stops the import with the list of problems. Progress goes to `onProgress` and, when the
 * input has an `uploadId`, through `db` to the table the page's poll reads (import-progress.ts);
 * the rows go through `pg` on the same pool (withPgTransaction).
 */
export async function importEvalSet(
  actor: Actor | null,
  raw: ImportEvalSetInput,
  db: Db = prisma,
  onProgress?: (p: ImportProgress) => void,
): Promise<ImportEvalSetResult> {
  requirePermission(actor, "eval-sets:manage");
  const input = ImportEvalSetInput.parse(raw);
  const progress = createProgressWriter(db, input.uploadId, actor.id);
  const report = (p: ImportProgress) => {
    progress.report(p);
    onProgress?.(p);
  };
  report({ phase: "parsing", done: 0, total: 0 });
  try {
    const result = await importStreamed(actor, input, report);
    report({ phase: "done", done: result.importedCount, total: result.importedCount });
    return result;
  } catch (err) {
    report({ phase: "failed", done: 0, total: 0 });
    throw err;
  } finally {
    // The import's connection is back in the pool by now, so the last write cannot wait on it.
    await progress.flush();
  }
}

async function importStreamed(
  actor: Actor,
  input: z.output<typeof ImportEvalSetInput>,
  report: (p: ImportProgress) => void,
): Promise<ImportEvalSetResult> {
  // Through `pg` rather than Prisma's $transaction, so no batch is kept after it is stored.
  return withPgTransaction(async (tx) => {
    const set = (
      await tx.query<{ id: string }>(
        `INSERT INTO "EvalSet" ("id", "name", "description", "sourceFilename", "createdById")
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT ("name") DO NOTHING RETURNING "id"`,
        [randomUUID(), input.name, input.description, input.filename, actor.id],
      )
    ).rows[0];
    if (!set) throw new ConflictError(`An eval set named "${input.name}" already exists; choose another name`);
    const systems = createSystemResolver(tx, input.teacherSystems, input.filename);
    let position = 0;
    let outputsImported = 0;
    const { storedCount, droppedLines } = await storeStreamed({
      filename: input.filename,
      body: bodyOf(input),
      dropBadRows: input.dropBadRows,
      teacherSystems: input.teacherSystems,
      noRowsMessage: "No rows left to import. Fix the file's errors and upload it again.",
      async store(rows) {
        const systemIds = await systems.resolve(rows);
        const stored = await insertRows(tx, { evalSetId: set.id, rows, position, systemIds, filename: input.filename });
        position += rows.length;
        outputsImported += stored.outputsImported;
      },
      onStored: (done, total) => report({ phase: "inserting", done, total }),
    });
    return {
      evalSetId: set.id,
      importedCount: storedCount,
      droppedCount: droppedLines.length,
      droppedLines,
      outputsImported,
      systems: systems.systems,
    };
  });
}

import type { z } from "zod";
import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { ConflictError } from "@/lib/errors";
import { prisma, type Db } from "@/lib/db";
import { createPageCollector, parseEvalSetStream, type EvalSetPreview } from "./parse";
import { ImportEvalSetInput, type ImportEvalSetResult } from "./schemas";
import { insertRows } from "./insert-rows";
import { createSystemResolver } from "./imported-systems";
import { reportImportProgress, type ImportProgress } from "./import-progress";
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
 * input has an `uploadId`, to the page polling it (import-progress.ts).
 */
export async function importEvalSet(
  actor: Actor | null,
  raw: ImportEvalSetInput,
  db: Db = prisma,
  onProgress?: (p: ImportProgress) => void,
): Promise<ImportEvalSetResult> {
  requirePermission(actor, "eval-sets:manage");
  const input = ImportEvalSetInput.parse(raw);
  const report = (p: ImportProgress) => {
    reportImportProgress(input.uploadId, actor.id, p);
    onProgress?.(p);
  };
  report({ phase: "parsing", done: 0, total: 0 });
  try {
    const result = await importStreamed(actor, input, db, report);
    report({ phase: "done", done: result.importedCount, total: result.importedCount });
    return result;
  } catch (err) {
    report({ phase: "failed", done: 0, total: 0 });
    throw err;
  }
}

async function importStreamed(
  actor: Actor,
  input: z.output<typeof ImportEvalSetInput>,
  db: Db,
  report: (p: ImportProgress) => void,
): Promise<ImportEvalSetResult> {
  return db.$transaction(
    async (tx) => {
      if (await tx.evalSet.findUnique({ where: { name: input.name }, select: { id: true } })) {
        throw new ConflictError(`An eval set named "${input.name}" already exists; choose another name`);
      }
      const set = await tx.evalSet.create({
        data: {
          name: input.name,
          description: input.description,
          sourceFilename: input.filename,
          createdById: actor.id,
        },
        select: { id: true },
      });
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
          const stored = await insertRows(tx, {
            evalSetId: set.id,
            rows,
            position,
            systemIds,
            filename: input.filename,
          });
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
    },
    { timeout: 120_000 },
  );
}

import type { z } from "zod";
import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { ConflictError } from "@/lib/errors";
import { prisma, type Db } from "@/lib/db";
import { parseEvalSetFile, parseEvalSetUpload, selectImportableRows, type EvalSetPreview } from "./parse";
import { ImportEvalSetInput, type ImportEvalSetResult } from "./schemas";
import { insertRows } from "./insert-rows";
import { requireImportableRows, resolveImportedSystems } from "./imported-systems";
import { reportImportProgress, type ImportProgress } from "./import-progress";

/** Parses an upload and returns what would be imported, storing nothing. */
export async function previewEvalSetUpload(
  actor: Actor | null,
  input: { filename: string; bytes: Uint8Array; rowOffset?: number },
): Promise<EvalSetPreview> {
  requirePermission(actor, "eval-sets:manage");
  return parseEvalSetUpload(input);
}

/**
 * Imports an eval set with its items, references and outputs made elsewhere, all in one
 * transaction: an error anywhere leaves nothing behind. Unless `dropBadRows`, any row with an
 * error stops the import with the list of problems. Progress goes to `onProgress` and, when the
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
    const result = await importParsed(actor, input, db, report);
    report({ phase: "done", done: result.importedCount, total: result.importedCount });
    return result;
  } catch (err) {
    report({ phase: "failed", done: 0, total: 0 });
    throw err;
  }
}

async function importParsed(
  actor: Actor,
  input: z.output<typeof ImportEvalSetInput>,
  db: Db,
  report: (p: ImportProgress) => void,
): Promise<ImportEvalSetResult> {
  const parsed = parseEvalSetFile({ filename: input.filename, bytes: input.bytes });
  const selection = requireImportableRows(
    parsed,
    selectImportableRows(parsed, { dropBadRows: input.dropBadRows }),
    input.teacherSystems,
    "No rows left to import. Fix the file's errors and upload it again.",
  );

  return db.$transaction(
    async (tx) => {
      if (await tx.evalSet.findUnique({ where: { name: input.name }, select: { id: true } })) {
        throw new ConflictError(`An eval set named "${input.name}" already exists; choose another name`);
      }
      const { systems, systemIds } = await resolveImportedSystems(
        tx,
        parsed.systems,
        input.teacherSystems,
        input.filename,
      );
      const set = await tx.evalSet.create({
        data: {
          name: input.name,
          description: input.description,
          sourceFilename: input.filename,
          createdById: actor.id,
        },
        select: { id: true },
      });
      const rows = selection.rows;
      report({ phase: "inserting", done: 0, total: rows.length });
      const { outputsImported } = await insertRows(tx, {
        evalSetId: set.id,
        rows,
        systemIds,
        filename: input.filename,
        onBatch: (done) => report({ phase: "inserting", done, total: rows.length }),
      });
      return {
        evalSetId: set.id,
        importedCount: selection.importedCount,
        droppedCount: selection.droppedCount,
        droppedLines: selection.droppedLines,
        outputsImported,
        systems,
      };
    },
    { timeout: 120_000 },
  );
}

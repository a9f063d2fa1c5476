import type { z } from "zod";
import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { ConflictError, ValidationError } from "@/lib/errors";
import { prisma, type Db } from "@/lib/db";
import { parseEvalSetFile, parseEvalSetUpload, selectImportableRows, type EvalSetPreview } from "./parse";
import { ImportEvalSetInput, type ImportEvalSetResult } from "./schemas";
import { insertRows } from "./insert-rows";
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
  const selection = selectImportableRows(parsed, { dropBadRows: input.dropBadRows });
  if (!selection.ok) {
    const fields: Record<string, string> = {};
    for (const p of selection.blockingProblems.slice(0, 50)) {
      const key = p.line ? `line ${p.line}` : "file";
      // One line can have several problems (no source and a repeated id): keep them all.
      fields[key] = fields[key] ? `${fields[key]} ${p.message}` : p.message;
    }
    throw new ValidationError(selection.reason, fields);
  }
  if (selection.rows.length === 0)
    throw new ValidationError("No rows left to import. Fix the file's errors and upload it again.");
  const unknownTeachers = input.teacherSystems.filter((t) => !parsed.systems.includes(t));
  if (unknownTeachers.length)
    throw new ValidationError(`The file has no output column for ${unknownTeachers.map((t) => `"${t}"`).join(", ")}`);

  return db.$transaction(
    async (tx) => {
      if (await tx.evalSet.findUnique({ where: { name: input.name }, select: { id: true } })) {
        throw new ConflictError(`An eval set named "${input.name}" already exists; choose another name`);
      }
      const systems: ImportEvalSetResult["systems"] = [];
      const systemIds = new Map<string, string>();
      for (const name of parsed.systems) {
        const role = input.teacherSystems.includes(name) ? "TEACHER" : "STUDENT";
        const existing = await tx.system.findUnique({ where: { name }, select: { id: true, kind: true, role: true } });
        if (existing && existing.kind !== "EXTERNAL") {
          throw new ConflictError(
            `"${name}" is the name of a system this app runs itself; rename the column output:${name} (e.g. output:${name} (imported))`,
          );
        }
        if (existing && existing.role !== role) {
          throw new ConflictError(
            `"${name}" was imported before as a ${existing.role.toLowerCase()}; mark it the same way or rename the column`,
          );
        }
        const id =
          existing?.id ??
          (
            await tx.system.create({
              data: { name, role, kind: "EXTERNAL", description: `Outputs imported from ${input.filename}` },
              select: { id: true },
            })
          ).id;
        systemIds.set(name, id);
        systems.push({ name, role, created: !existing });
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

import { randomUUID } from "node:crypto";
import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { ConflictError, ValidationError } from "@/lib/errors";
import { prisma, type Db } from "@/lib/db";
import { parseEvalSetFile, parseEvalSetUpload, selectImportableRows, type EvalSetPreview } from "./parse";
import { IMPORTED_SETTINGS_KEY, ImportEvalSetInput, type ImportEvalSetResult } from "./schemas";

/** Parses an upload and returns what would be imported, storing nothing. */
export async function previewEvalSetUpload(
  actor: Actor | null,
  input: { filename: string; bytes: Uint8Array; rowOffset?: number },
): Promise<EvalSetPreview> {
  requirePermission(actor, "eval-sets:manage");
  return parseEvalSetUpload(input);
}

const BATCH = 1000;

/**
 * Imports an eval set with its items, references and outputs made elsewhere, all in one
 * transaction: an error anywhere leaves nothing behind. Unless `dropBadRows`, any row with an
 * error stops the import with the list of problems.
 */
export async function importEvalSet(
  actor: Actor | null,
  raw: ImportEvalSetInput,
  db: Db = prisma,
): Promise<ImportEvalSetResult> {
  requirePermission(actor, "eval-sets:manage");
  const input = ImportEvalSetInput.parse(raw);
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
      // Item ids are made here so outputs can point at them without reading every item back.
      const itemIds = rows.map(() => randomUUID());
      for (let i = 0; i < rows.length; i += BATCH) {
        await tx.evalItem.createMany({
          data: rows.slice(i, i + BATCH).map((r, j) => ({
            id: itemIds[i + j],
            evalSetId: set.id,
            externalId: r.itemId ?? String(r.line),
            position: i + j,
            source: r.source,
            references: r.references,
            metadata: r.metadata,
          })),
        });
      }
      let outputsImported = 0;
      if (systemIds.size) {
        const outputs = rows.flatMap((r, position) =>
          Object.entries(r.outputs).flatMap(([system, texts]) =>
            texts.map((text, rank) => ({
              itemId: itemIds[position],
              systemId: systemIds.get(system)!,
              settingsKey: IMPORTED_SETTINGS_KEY,
              settings: { source: "import", filename: input.filename },
              rank,
              text,
            })),
          ),
        );
        for (let i = 0; i < outputs.length; i += BATCH)
          await tx.output.createMany({ data: outputs.slice(i, i + BATCH) });
        outputsImported = outputs.length;
      }
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

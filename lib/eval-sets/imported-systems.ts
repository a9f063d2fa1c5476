import type { Prisma } from "@/lib/generated/prisma/client";
import { ConflictError, ValidationError } from "@/lib/errors";
import type { parseEvalSetFile, selectImportableRows } from "./parse";

type Parsed = ReturnType<typeof parseEvalSetFile>;
type Selection = ReturnType<typeof selectImportableRows>;

/**
 * Refuses an upload whose rows cannot be stored (a new set's import and adding outputs alike): the
 * blocking problems by line, no rows left, or a teacher named without an output column.
 */
export function requireImportableRows(
  parsed: Parsed,
  selection: Selection,
  teacherSystems: readonly string[],
  noRowsMessage: string,
): Extract<Selection, { ok: true }> {
  if (!selection.ok) {
    const fields: Record<string, string> = {};
    for (const p of selection.blockingProblems.slice(0, 50)) {
      const key = p.line ? `line ${p.line}` : "file";
      // One line can have several problems (no source and a repeated id): keep them all.
      fields[key] = fields[key] ? `${fields[key]} ${p.message}` : p.message;
    }
    throw new ValidationError(selection.reason, fields);
  }
  if (selection.rows.length === 0) throw new ValidationError(noRowsMessage);
  const unknownTeachers = teacherSystems.filter((t) => !parsed.systems.includes(t));
  if (unknownTeachers.length)
    throw new ValidationError(`The file has no output column for ${unknownTeachers.map((t) => `"${t}"`).join(", ")}`);
  return selection;
}

/**
 * The systems named by a file's output columns: reused when imported before with the same role,
 * created as EXTERNAL otherwise; a name the app runs itself, or imported before in the other role,
 * is refused.
 */
export async function resolveImportedSystems(
  tx: Prisma.TransactionClient,
  names: readonly string[],
  teacherSystems: readonly string[],
  filename: string,
) {
  const systems: { name: string; role: "TEACHER" | "STUDENT"; created: boolean }[] = [];
  const systemIds = new Map<string, string>();
  for (const name of names) {
    const role = teacherSystems.includes(name) ? "TEACHER" : "STUDENT";
    const existing = await tx.system.findUnique({ where: { name }, select: { id: true, kind: true, role: true } });
    if (existing && existing.kind !== "EXTERNAL")
      throw new ConflictError(
        `"${name}" is the name of a system this app runs itself; rename the column output:${name} (e.g. output:${name} (imported))`,
      );
    if (existing && existing.role !== role)
      throw new ConflictError(
        `"${name}" was imported before as a ${existing.role.toLowerCase()}; mark it the same way or rename the column`,
      );
    const id =
      existing?.id ??
      (
        await tx.system.create({
          data: { name, role, kind: "EXTERNAL", description: `Outputs imported from ${filename}` },
          select: { id: true },
        })
      ).id;
    systemIds.set(name, id);
    systems.push({ name, role, created: !existing });
  }
  return { systems, systemIds };
}

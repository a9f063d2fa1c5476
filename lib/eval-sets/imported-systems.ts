import type { Prisma } from "@/lib/generated/prisma/client";
import { ConflictError } from "@/lib/errors";
import type { ParsedRow } from "./parse";

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

/**
 * Resolves systems as a streamed upload names them: a JSONL file can name a new system on any
 * line, so each batch's new names are resolved before the batch is stored.
 */
export function createSystemResolver(
  tx: Prisma.TransactionClient,
  teacherSystems: readonly string[],
  filename: string,
) {
  const systems: Awaited<ReturnType<typeof resolveImportedSystems>>["systems"] = [];
  const systemIds = new Map<string, string>();
  return {
    systems,
    systemIds,
    async resolve(rows: ParsedRow[]): Promise<Map<string, string>> {
      const names = new Set<string>();
      for (const r of rows) for (const name of Object.keys(r.outputs)) if (!systemIds.has(name)) names.add(name);
      if (names.size) {
        const found = await resolveImportedSystems(tx, [...names], teacherSystems, filename);
        systems.push(...found.systems);
        for (const [name, id] of found.systemIds) systemIds.set(name, id);
      }
      return systemIds;
    },
  };
}

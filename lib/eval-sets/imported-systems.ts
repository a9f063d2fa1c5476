import { randomUUID } from "node:crypto";
import type { PgTx } from "@/lib/db";
import { ConflictError } from "@/lib/errors";
import type { ParsedRow } from "./parse";

type Role = "TEACHER" | "STUDENT";

/**
 * The systems named by a file's output columns: reused when imported before with the same role,
 * created as EXTERNAL otherwise; a name the app runs itself, or imported before in the other role,
 * is refused. Runs inside the upload's `pg` transaction (withPgTransaction).
 */
export async function resolveImportedSystems(
  tx: PgTx,
  names: readonly string[],
  teacherSystems: readonly string[],
  filename: string,
) {
  const systems: { name: string; role: Role; created: boolean }[] = [];
  const systemIds = new Map<string, string>();
  for (const name of names) {
    const role: Role = teacherSystems.includes(name) ? "TEACHER" : "STUDENT";
    // Another upload creating the same name at once waits here for it, then finds its row.
    const inserted = await tx.query<{ id: string }>(
      `INSERT INTO "System" ("id", "name", "role", "kind", "description")
       VALUES ($1, $2, $3::"SystemRole", 'EXTERNAL', $4)
       ON CONFLICT ("name") DO NOTHING RETURNING "id"`,
      [randomUUID(), name, role, `Outputs imported from ${filename}`],
    );
    let id = inserted.rows[0]?.id;
    if (!id) {
      const existing = (
        await tx.query<{ id: string; kind: string; role: Role }>(
          `SELECT "id", "kind", "role" FROM "System" WHERE "name" = $1`,
          [name],
        )
      ).rows[0];
      if (existing.kind !== "EXTERNAL")
        throw new ConflictError(
          `"${name}" is the name of a system this app runs itself; rename the column output:${name} (e.g. output:${name} (imported))`,
        );
      if (existing.role !== role)
        throw new ConflictError(
          `"${name}" was imported before as a ${existing.role.toLowerCase()}; mark it the same way or rename the column`,
        );
      id = existing.id;
    }
    systemIds.set(name, id);
    systems.push({ name, role, created: !!inserted.rows.length });
  }
  return { systems, systemIds };
}

/**
 * Resolves systems as a streamed upload names them: a JSONL file can name a new system on any
 * line, so each batch's new names are resolved before the batch is stored.
 */
export function createSystemResolver(tx: PgTx, teacherSystems: readonly string[], filename: string) {
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

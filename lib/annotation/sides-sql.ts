import { Prisma } from "@/lib/generated/prisma/client";
import type { Role } from "./sides";

/**
 * The SQL form of `sideOf` (./sides.ts) for queries that un-blind in the database: 'left' or
 * 'right', the side `role` was shown on, from a boolean "teacherOnLeft" column. Read a stored
 * score by role with `r."scores"->k->>${sideSql("teacher", Prisma.raw('r."teacherOnLeft"'))}`.
 */
export function sideSql(role: Role, teacherOnLeft: Prisma.Sql): Prisma.Sql {
  return role === "teacher"
    ? Prisma.sql`(CASE WHEN ${teacherOnLeft} THEN 'left' ELSE 'right' END)`
    : Prisma.sql`(CASE WHEN ${teacherOnLeft} THEN 'right' ELSE 'left' END)`;
}

/** `sideSql` for the "teacherOnLeft" column of the table aliased `alias`. */
export function sideOfColumnSql(role: Role, alias: string): Prisma.Sql {
  if (!/^[a-z_][a-z0-9_]*$/i.test(alias)) throw new Error(`not a table alias: ${alias}`);
  return sideSql(role, Prisma.raw(`${alias}."teacherOnLeft"`));
}

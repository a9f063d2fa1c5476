import { expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { sideOf, type Role } from "./sides";
import { sideOfColumnSql, sideSql } from "./sides-sql";

it("the SQL fragment names the same side as sideOf, for every role and order", async () => {
  for (const role of ["teacher", "student"] as Role[])
    for (const teacherOnLeft of [true, false]) {
      const [row] = await prisma.$queryRaw<
        { side: string }[]
      >`SELECT ${sideSql(role, Prisma.sql`${teacherOnLeft}`)} AS side`;
      expect(row.side).toBe(sideOf(role, teacherOnLeft));
      const [read] = await prisma.$queryRaw<{ v: number }[]>`
        SELECT (r.scores->'m'->>${sideOfColumnSql(role, "r")})::int AS v
        FROM (SELECT ${teacherOnLeft}::boolean AS "teacherOnLeft", '{"m":{"left":1,"right":2}}'::jsonb AS scores) r`;
      expect(read.v).toBe(sideOf(role, teacherOnLeft) === "left" ? 1 : 2);
    }
  expect(() => sideOfColumnSql("teacher", 'r"; DROP TABLE x; --')).toThrow(/not a table alias/);
});

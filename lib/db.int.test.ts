import { describe, expect, it } from "vitest";
import { Prisma } from "@/lib/generated/prisma/client";
import { hotQuery, prisma } from "./db";

describe("hotQuery", () => {
  it("reads the column types the hot statements use as Prisma's $queryRaw reads them", async () => {
    const sql = Prisma.sql`/* prepared */
      SELECT ${"a9b1c8f0-0d5e-4c7a-9a43-3f5d1c2b7e10"}::uuid::text AS "id", 'x'::text AS "text", true AS "flag",
             ${7}::int AS "int", NULL::int AS "none", ${0.75}::float8 AS "share",
             ${JSON.stringify({ fluency: { left: 4, right: 3 } })}::jsonb AS "scores",
             (SELECT count(*) FROM generate_series(1, 3))::int AS "counted",
             'LEFT'::"Preference"::text AS "enumText"`;
    const viaPg = await hotQuery<Record<string, unknown>>(prisma, sql);
    const viaPrisma = await prisma.$queryRaw<Record<string, unknown>[]>(sql);
    expect(viaPg).toEqual(viaPrisma);
    expect(viaPg).toEqual([
      {
        id: "a9b1c8f0-0d5e-4c7a-9a43-3f5d1c2b7e10",
        text: "x",
        flag: true,
        int: 7,
        none: null,
        share: 0.75,
        scores: { fluency: { left: 4, right: 3 } },
        counted: 3,
        enumText: "LEFT",
      },
    ]);
  });

  it("runs inside the caller's interactive transaction when given one, seeing its uncommitted writes", async () => {
    const email = `hot-query-${Date.now()}@example.com`;
    const seen = await prisma
      .$transaction(async (tx) => {
        await tx.$executeRaw`CREATE TEMP TABLE hot_query_probe (email text) ON COMMIT DROP`;
        await tx.$executeRaw`INSERT INTO hot_query_probe VALUES (${email})`;
        const rows = await hotQuery<{ n: number }>(
          tx,
          Prisma.sql`SELECT count(*)::int AS n FROM hot_query_probe WHERE email = ${email}`,
        );
        throw Object.assign(new Error("roll back"), { rows });
      })
      .catch((err: { rows?: unknown }) => err.rows);
    expect(seen).toEqual([{ n: 1 }]);
  });

  it("fails as the database failed, with Postgres's error code (a retry reads it)", async () => {
    await expect(hotQuery(prisma, Prisma.sql`/* prepared */ SELECT ${"not-a-uuid"}::uuid`)).rejects.toMatchObject({
      code: "22P02",
    });
  });
});

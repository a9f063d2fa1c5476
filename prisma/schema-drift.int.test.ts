import { inject } from "vitest";
import { describe, expect, it } from "vitest";
import pg from "pg";
import { migrate } from "./migrate";
import { shapeFromDatabase, shapeFromPrismaSchema } from "./schema-drift";

const url = inject("databaseUrl");

describe("migrations match schema.prisma", () => {
  const declared = shapeFromPrismaSchema("prisma/schema.prisma");

  it("declares the domain (sanity check of the parser)", () => {
    expect(declared.columns["Rating.teacherOnLeft"]).toEqual({ type: "bool", nullable: false, hasDefault: false });
    expect(declared.indexes).toContain("Assignment(pairId,annotatorId) UNIQUE");
  });

  it("has the same enums, columns, keys, indexes and foreign keys in the migrated database", async () => {
    const actual = await shapeFromDatabase(url);
    expect(actual.enums).toEqual(declared.enums);
    expect(actual.columns).toEqual(declared.columns);
    expect(actual.primaryKeys).toEqual(declared.primaryKeys);
    expect(actual.indexes).toEqual(declared.indexes);
    expect(actual.foreignKeys).toEqual(declared.foreignKeys);
  });

  it("catches a database that differs from the schema", async () => {
    // A scratch database in the same cluster, migrated and then altered by hand.
    const name = `drift_test_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const scratchUrl = Object.assign(new URL(url), { pathname: `/${name}` }).toString();
    try {
      await migrate(scratchUrl);
      expect(await shapeFromDatabase(scratchUrl)).toEqual(declared);
      const scratch = new pg.Client({ connectionString: scratchUrl });
      await scratch.connect();
      await scratch.query(`ALTER TABLE "User" ALTER COLUMN "name" DROP NOT NULL`);
      await scratch.query(`DROP INDEX "Output_systemId_settingsKey_itemId_idx"`);
      await scratch.end();
      const drifted = await shapeFromDatabase(scratchUrl);
      expect(drifted.columns["User.name"].nullable).toBe(true);
      expect(drifted.indexes).not.toContain("Output(systemId,settingsKey,itemId)");
      expect(drifted).not.toEqual(declared);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });

  it("is idempotent: a second run applies nothing", async () => {
    const again = await migrate(url);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied.length).toBeGreaterThan(0);
  });
});

import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import type { TestProject } from "vitest/node";
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from "../embedded-postgres";
import { migrate } from "../migrate";
import { assertSafeTestDatabase } from "./database-guard";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

let db: EmbeddedDatabase | undefined;

/**
 * Uses TEST_DATABASE_URL when given (a local test database only), else starts a fresh embedded
 * PostgreSQL of its own, in a folder of its own on a free port (so two test runs on one checkout
 * never share a cluster), removed again at the end; then applies the migrations.
 */
export async function setup(project: TestProject) {
  let url = process.env.TEST_DATABASE_URL;
  if (!url) {
    db = await startEmbeddedPostgres({
      dataDir: `.data/postgres-test/${randomUUID().slice(0, 8)}`,
      port: await freePort(),
      database: "distil_eval_test",
    });
    url = db.url;
  }
  assertSafeTestDatabase(url);
  await migrate(url);
  project.provide("databaseUrl", url);
}

export async function teardown() {
  if (!db) return;
  await db.stop();
  await rm(db.dataDir, { recursive: true, force: true });
}

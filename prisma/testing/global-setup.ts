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
 * Uses TEST_DATABASE_URL when given (a local test database only), else starts an embedded
 * PostgreSQL of its own on a free port; then applies the migrations.
 */
export async function setup(project: TestProject) {
  let url = process.env.TEST_DATABASE_URL;
  if (!url) {
    db = await startEmbeddedPostgres({ dataDir: ".data/postgres-test", port: await freePort(), database: "distil_eval_test" });
    url = db.url;
  }
  assertSafeTestDatabase(url);
  await migrate(url);
  project.provide("databaseUrl", url);
}

export async function teardown() {
  await db?.stop();
}

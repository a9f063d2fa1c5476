import { inject } from "vitest";

// Runs in each test worker before any test file imports lib/db.
process.env.DATABASE_URL = inject("databaseUrl");
process.env.DATABASE_POOL_SIZE ??= "5";

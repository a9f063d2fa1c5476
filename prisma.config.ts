import { defineConfig } from "prisma/config";

// Used by the Prisma CLI only (generate; migrate deploy for users whose machines can fetch
// Prisma's schema engine). The app itself connects through lib/db.ts.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx prisma/seed.ts" },
  datasource: { url: process.env.DATABASE_URL ?? "" },
});

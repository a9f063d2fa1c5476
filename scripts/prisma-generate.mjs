// Generates the Prisma client. `prisma generate` needs no schema engine, but the Prisma CLI
// downloads one at start unless PRISMA_SCHEMA_ENGINE_BINARY names an executable. Offline that
// download fails, so point it at Node itself for `generate` only (never for migrate commands).
import { spawnSync } from "node:child_process";
const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
env.PRISMA_HIDE_UPDATE_MESSAGE = "1";
const r = spawnSync("npx", ["--no-install", "prisma", "generate"], { stdio: "inherit", env });
process.exit(r.status ?? 1);

// `npm run db:migrate`: applies prisma/migrations to DATABASE_URL (what `prisma migrate deploy` does).
import { migrate } from "@/prisma/migrate";

if (!process.env.DATABASE_URL) {
  console.error("DATABASE_URL is not set. `npm start` migrates its embedded database by itself.");
  process.exit(1);
}
const r = await migrate(process.env.DATABASE_URL);
console.log(`applied: ${r.applied.join(", ") || "none"}; already applied: ${r.alreadyApplied.length}`);

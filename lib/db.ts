import { PrismaPg } from "@prisma/adapter-pg";
import { env } from "@/lib/env";
import { PrismaClient } from "@/lib/generated/prisma/client";

function createClient() {
  const connectionString = env().DATABASE_URL;
  if (!connectionString) {
    throw new Error("DATABASE_URL is not set. Start the app with `npm start` (embedded Postgres) or set it in .env.");
  }
  const adapter = new PrismaPg({ connectionString, max: env().DATABASE_POOL_SIZE });
  // Password hashes never leave the data layer unless a query asks for them by name.
  return new PrismaClient({ adapter, omit: { user: { passwordHash: true } } });
}

export type Db = ReturnType<typeof createClient>;
/** A client or an interactive transaction; query functions accept either. */
export type DbOrTx = Omit<Db, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

const globalForPrisma = globalThis as unknown as { prisma?: Db };

function client(): Db {
  // Cached on globalThis (also in production: one pool per process) so hot reload reuses it.
  globalForPrisma.prisma ??= createClient();
  return globalForPrisma.prisma;
}

/**
 * The one Prisma client. Created on first use rather than at import, so `next build` can load
 * modules without a database and a missing DATABASE_URL fails with a clear message at the query.
 */
export const prisma: Db = new Proxy({} as Db, {
  get(_target, prop) {
    const c = client();
    const value = Reflect.get(c, prop, c);
    return typeof value === "function" ? value.bind(c) : value;
  },
});

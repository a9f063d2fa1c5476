import { createHash } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { env } from "@/lib/env";
import { Prisma, PrismaClient } from "@/lib/generated/prisma/client";

function createClient() {
  const connectionString = env().DATABASE_URL;
  if (!connectionString) {
    throw new Error("DATABASE_URL is not set. Start the app with `npm start` (embedded Postgres) or set it in .env.");
  }
  // One pool per process, shared by Prisma and the few bulk writes that go through `pg` itself
  // (withPgTransaction); $disconnect ends it.
  const pool = new pg.Pool({ connectionString, max: env().DATABASE_POOL_SIZE });
  const adapter = new PrismaPg(pool, {
    disposeExternalPool: true,
    // pg takes an undefined name as an unnamed statement (parsed and planned on every call).
    statementNameGenerator: (q) => preparedStatementName(q.sql) as string,
  });
  // Password hashes never leave the data layer unless a query asks for them by name.
  const client = new PrismaClient({ adapter, omit: { user: { passwordHash: true } } });
  return { client, pool };
}

/**
 * A raw statement whose text begins with the comment `/* prepared *\/` is sent as a named
 * statement: each connection parses and plans it once and keeps its plan (Postgres switches to a
 * generic plan after five runs when that costs no more), instead of planning it on every call.
 * For the few hot statements whose planning costs more than their execution (the annotation
 * claim and submit: about 1-3 ms of planning against well under 1 ms of execution). Only marked
 * statements, so a connection keeps a bounded set; the name is a hash of the text, so one name
 * never stands for two texts (pg refuses that).
 */
export function preparedStatementName(sql: string): string | undefined {
  if (!sql.startsWith(PREPARED_MARK)) return undefined;
  return `p_${createHash("sha1").update(sql).digest("hex").slice(0, 24)}`;
}
const PREPARED_MARK = "/* prepared */";

export type Db = ReturnType<typeof createClient>["client"];
/** A client or an interactive transaction; query functions accept either. */
export type DbOrTx = Omit<Db, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

const globalForPrisma = globalThis as unknown as { distilEvalDb?: ReturnType<typeof createClient> };

function created() {
  // Cached on globalThis (also in production: one pool per process) so hot reload reuses it.
  globalForPrisma.distilEvalDb ??= createClient();
  return globalForPrisma.distilEvalDb;
}

/**
 * The one Prisma client. Created on first use rather than at import, so `next build` can load
 * modules without a database and a missing DATABASE_URL fails with a clear message at the query.
 */
export const prisma: Db = new Proxy({} as Db, {
  get(_target, prop) {
    const c = created().client;
    const value = Reflect.get(c, prop, c);
    return typeof value === "function" ? value.bind(c) : value;
  },
});

/**
 * A raw statement on the hot path of every rating (the session's user check, the submit, the
 * claim), sent by `pg` itself on the shared pool, as a prepared statement (PREPARED_MARK),
 * when `db` is the shared client: Prisma's client runtime around a raw query (its interpreter,
 * tracing spans, parameter and result (de)serialisation, and the debug log of every query's
 * arguments) cost more CPU per call than the statement's own round trip, on the web server
 * that every annotator's request waits for. Any other client (an interactive transaction, a
 * test's wrapper) runs it through its own $queryRaw, so it stays inside that transaction.
 * Only for statements whose columns pg and Prisma read alike: text, uuid, boolean, int4,
 * float8, jsonb and timestamps (pg reads int8 and numeric as strings, Prisma as BigInt and
 * Decimal: cast counts to int).
 */
export async function hotQuery<T>(db: DbOrTx, sql: Prisma.Sql): Promise<T[]> {
  if (db !== prisma) return db.$queryRaw<T[]>(sql);
  const text = sql.text;
  const { rows } = await created().pool.query<T & pg.QueryResultRow>({
    name: preparedStatementName(text),
    text,
    values: sql.values,
  });
  return rows;
}

/** A connection of the shared pool inside a transaction (withPgTransaction). */
export type PgTx = Pick<pg.PoolClient, "query">;

/**
 * Runs `fn` in one transaction on a connection of Prisma's own pool, with plain `pg` queries, and
 * commits, or rolls back if it throws. For bulk writes only: Prisma's driver adapter logs every
 * query with its parameters to @prisma/debug, which keeps the arguments of the last 100 calls even
 * with DEBUG off, so a bulk insert through Prisma stays in memory after it ran (an eval set import
 * held +53 MB of its batches at 50,000 rows).
 */
export async function withPgTransaction<T>(fn: (tx: PgTx) => Promise<T>): Promise<T> {
  const conn = await created().pool.connect();
  // A connection lost mid-transaction fails the next query; without a listener it would crash the process.
  const onError = () => {};
  conn.on("error", onError);
  let broken: Error | undefined;
  try {
    await conn.query("BEGIN");
    const result = await fn(conn);
    await conn.query("COMMIT");
    return result;
  } catch (err) {
    // A connection whose rollback failed is closed rather than given back to the pool.
    await conn.query("ROLLBACK").catch((e: Error) => (broken = e));
    throw err;
  } finally {
    conn.removeListener("error", onError);
    conn.release(broken);
  }
}

import { prisma, type DbOrTx } from "@/lib/db";

/**
 * A counting semaphore in PostgreSQL, shared by every worker on every machine: a key (a teacher
 * system) has one `ConcurrencySlot` row per unit of its limit, and a worker holds a slot under a
 * lease while it calls. Lease rows rather than advisory locks: an advisory lock lives on one
 * connection, so holding one across an HTTP call pins a pool connection per call in flight (the
 * pool has 10; a limit may be 64) and breaks behind a transaction-pooling proxy; a row works
 * through any pool, is visible (`SELECT * FROM "ConcurrencySlot"`), and a dead worker's slots come
 * back once their lease runs out. Slots are taken many at a time (a worker's SlotPool takes what
 * its calls need in one statement, not one per call), with SKIP LOCKED so two workers never take
 * one slot.
 */
export async function acquireSlots(
  { key, limit, want, holder, leaseMs }: { key: string; limit: number; want: number; holder: string; leaseMs: number },
  db: DbOrTx = prisma,
): Promise<number> {
  if (want < 1 || limit < 1) return 0;
  // The rows are made on first use; a limit lowered later counts only slots below it.
  await db.$executeRaw`
    INSERT INTO "ConcurrencySlot" (key, slot) SELECT ${key}, s FROM generate_series(0, ${limit - 1}::int) s
    ON CONFLICT DO NOTHING`;
  // The free slots are picked once, in a MATERIALIZED CTE. As `slot IN (SELECT ... LIMIT n)` the
  // planner may rescan the subquery for each row it updates, and a rescan skips the rows this
  // statement has just updated (SKIP LOCKED) and picks n more: one call took the whole limit.
  const rows = await db.$queryRaw<{ slot: number }[]>`
    WITH free AS MATERIALIZED (
      SELECT slot FROM "ConcurrencySlot"
      WHERE key = ${key} AND slot < ${limit}::int AND (holder IS NULL OR "leaseExpiresAt" < now())
      ORDER BY slot
      FOR UPDATE SKIP LOCKED
      LIMIT ${want}::int)
    UPDATE "ConcurrencySlot" s SET holder = ${holder},
      "leaseExpiresAt" = now() + make_interval(secs => ${leaseMs / 1000}::float8)
    FROM free WHERE s.key = ${key} AND s.slot = free.slot
    RETURNING s.slot`;
  return rows.length;
}

/** Extends the lease of every slot this holder has; the number it still holds. */
export async function renewSlots(
  { holder, leaseMs }: { holder: string; leaseMs: number },
  db: DbOrTx = prisma,
): Promise<number> {
  return db.$executeRaw`
    UPDATE "ConcurrencySlot" SET "leaseExpiresAt" = now() + make_interval(secs => ${leaseMs / 1000}::float8)
    WHERE holder = ${holder}`;
}

/** Gives back every slot this holder has. */
export async function releaseSlots({ holder }: { holder: string }, db: DbOrTx = prisma): Promise<number> {
  return db.$executeRaw`
    UPDATE "ConcurrencySlot" SET holder = NULL, "leaseExpiresAt" = NULL WHERE holder = ${holder}`;
}

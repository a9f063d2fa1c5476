import { afterAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { uniq } from "@/prisma/testing/factories";
import { acquireSlots, releaseSlots } from "./semaphore";

const keys: string[] = [];
afterAll(async () => {
  await prisma.concurrencySlot.deleteMany({ where: { key: { in: keys } } });
});

function key() {
  const k = uniq("sem");
  keys.push(k);
  return k;
}

describe("acquireSlots", () => {
  it("takes no more slots than asked, so a second worker gets the rest of the limit", async () => {
    // The old `slot IN (SELECT ... FOR UPDATE SKIP LOCKED LIMIT n)` was rescanned per updated
    // row and took all 64 slots for a 32-call chunk: the other worker got none.
    const k = key();
    expect(await acquireSlots({ key: k, limit: 64, want: 32, holder: "a", leaseMs: 60_000 })).toBe(32);
    expect(await prisma.concurrencySlot.count({ where: { key: k, holder: "a" } })).toBe(32);
    expect(await acquireSlots({ key: k, limit: 64, want: 40, holder: "b", leaseMs: 60_000 })).toBe(32);
    expect(await acquireSlots({ key: k, limit: 64, want: 1, holder: "c", leaseMs: 60_000 })).toBe(0);
    expect(await releaseSlots({ holder: "a" })).toBe(32);
    expect(await acquireSlots({ key: k, limit: 64, want: 5, holder: "c", leaseMs: 60_000 })).toBe(5);
    await releaseSlots({ holder: "b" });
    await releaseSlots({ holder: "c" });
  });

  it("never hands one slot to two holders asking at once", async () => {
    const k = key();
    const holders = Array.from({ length: 8 }, (_, i) => `h${i}-${k}`);
    const got = await Promise.all(
      holders.map((holder) => acquireSlots({ key: k, limit: 20, want: 4, holder, leaseMs: 60_000 })),
    );
    expect(got.reduce((s, n) => s + n, 0)).toBe(20);
    expect(got.every((n) => n <= 4)).toBe(true);
    for (const holder of holders) await releaseSlots({ holder });
  });

  it("takes no more than asked whatever plan PostgreSQL picks (a nested loop, as on a small new table)", async () => {
    const k = key();
    const got = await prisma.$transaction(async (tx) => {
      // The plan the bench's fresh database got for the old statement (its generic plan there): a
      // nested-loop semi-join that rescans the subquery once per row of the key.
      for (const setting of ["enable_hashjoin", "enable_mergejoin", "enable_hashagg", "enable_material", "enable_sort"])
        await tx.$executeRawUnsafe(`SET LOCAL ${setting} = off`);
      return acquireSlots({ key: k, limit: 64, want: 32, holder: "nl", leaseMs: 60_000 }, tx);
    });
    expect(got).toBe(32);
    expect(await prisma.concurrencySlot.count({ where: { key: k, holder: "nl" } })).toBe(32);
    await releaseSlots({ holder: "nl" });
  });
});

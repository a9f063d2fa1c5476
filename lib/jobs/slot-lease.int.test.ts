import { afterAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { uniq } from "@/prisma/testing/factories";
import { acquireSlots } from "./semaphore";
import { SlotPool } from "./slot-pool";

/**
 * The teacher's limit as several workers see it: each worker has its own SlotPool (its own holder
 * name) over the same ConcurrencySlot rows, as `npm run worker` processes on several machines do.
 * Calls are counted in this process, so "in flight" is what the teacher would see at once.
 */
const keys: string[] = [];
afterAll(async () => {
  await prisma.concurrencySlot.deleteMany({ where: { key: { in: keys } } });
});

function key() {
  const k = uniq("lease");
  keys.push(k);
  return k;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Counts calls running at once across every pool of a test, and the most ever. */
function teacher() {
  const t = {
    inFlight: 0,
    max: 0,
    calls: 0,
    call: (ms: number) => async () => {
      t.inFlight++;
      t.calls++;
      t.max = Math.max(t.max, t.inFlight);
      await sleep(ms);
      t.inFlight--;
    },
  };
  return t;
}

function pools(k: string, count: number, leaseMs: number) {
  return Array.from({ length: count }, (_, i) => new SlotPool({ key: k, holder: `${k}/w${i}`, leaseMs, lingerMs: 50 }));
}

describe("teacher slots leased by several workers", () => {
  it("never run more calls at once than the limit, however many workers claim at the same moment", async () => {
    const k = key();
    const limit = 6;
    const t = teacher();
    const workers = pools(k, 4, 5_000);
    // Every worker wants more than its share (4 each, 16 in all, for 6 slots) and asks at once,
    // in several waves, so claims race each other and slots pass between workers.
    for (let wave = 0; wave < 4; wave++) {
      await Promise.all(
        workers.flatMap((pool) =>
          Array.from({ length: 12 }, (_, i) => pool.run({ limit, perWorker: 4 }, t.call(5 + ((i * 7) % 20)))),
        ),
      );
    }
    await Promise.all(workers.map((p) => p.close()));
    expect(t.calls).toBe(4 * 4 * 12);
    expect(t.max).toBeLessThanOrEqual(limit);
    // More than one worker's share ran at once: the workers really shared the limit.
    expect(t.max).toBeGreaterThan(4);
    expect(await prisma.concurrencySlot.count({ where: { key: k, holder: { not: null } } })).toBe(0);
  });

  it("never hands out more slots than the limit when many holders claim at once, round after round", async () => {
    const k = key();
    const limit = 10;
    for (let round = 0; round < 15; round++) {
      const holders = Array.from({ length: 8 }, (_, i) => `${k}/r${round}h${i}`);
      // Half the holders of the last round are gone without a word: their 300 ms leases lapse.
      const got = await Promise.all(
        holders.map((holder, i) => acquireSlots({ key: k, limit, want: 1 + (i % 4), holder, leaseMs: 300 })),
      );
      const live = await prisma.concurrencySlot.count({
        where: { key: k, holder: { not: null }, leaseExpiresAt: { gt: new Date() } },
      });
      expect(live).toBeLessThanOrEqual(limit);
      // What every holder believes it holds adds up to at most the limit, and each row has one holder.
      const held = await prisma.concurrencySlot.groupBy({ by: ["holder"], where: { key: k }, _count: true });
      for (const [i, holder] of holders.entries()) {
        expect(held.find((h) => h.holder === holder)?._count ?? 0).toBe(got[i]);
      }
      expect(got.reduce((s, n) => s + n, 0)).toBeLessThanOrEqual(limit);
      await sleep(round % 3 === 2 ? 350 : 0);
    }
  });

  it("gives a dead worker's slots to the others once its lease runs out, and not before", async () => {
    const k = key();
    const limit = 3;
    // A worker takes every slot and dies: no renewal, no release.
    expect(await acquireSlots({ key: k, limit, want: limit, holder: `${k}/dead`, leaseMs: 600 })).toBe(limit);
    const t = teacher();
    const workers = pools(k, 2, 5_000);
    const started = Date.now();
    let firstCallAfter = -1;
    const first = () => {
      if (firstCallAfter < 0) firstCallAfter = Date.now() - started;
      return t.call(150)();
    };
    await Promise.all(
      workers.flatMap((pool) => Array.from({ length: 10 }, () => pool.run({ limit, perWorker: 2 }, first))),
    );
    await Promise.all(workers.map((p) => p.close()));
    expect(t.calls).toBe(20);
    expect(firstCallAfter).toBeGreaterThanOrEqual(500);
    expect(t.max).toBeLessThanOrEqual(limit);
    expect(t.max).toBeGreaterThan(2); // both live workers had slots: all three came back
  });

  it("keeps a live worker's slots while its calls outlast several leases (the heartbeat)", async () => {
    const k = key();
    const limit = 2;
    const t = teacher();
    const [busy, other] = pools(k, 2, 900);
    // The busy worker holds both slots for calls of 2.5 s, almost three leases; the other keeps
    // asking. Were the leases not renewed, the other would take them and the teacher see 3 or 4.
    const long = [0, 1].map(() => busy.run({ limit, perWorker: 2 }, t.call(2_500)));
    await sleep(100);
    const short = Array.from({ length: 4 }, () => other.run({ limit, perWorker: 2 }, t.call(10)));
    await Promise.all([...long, ...short]);
    await Promise.all([busy.close(), other.close()]);
    expect(t.calls).toBe(6);
    expect(t.max).toBe(limit);
  });
});

import { beforeEach, describe, expect, it, vi } from "vitest";
import { acquireSlots, releaseSlots, renewSlots } from "./semaphore";
import { SlotPool, StoppedError } from "./slot-pool";

vi.mock("./semaphore", () => ({ acquireSlots: vi.fn(), releaseSlots: vi.fn(), renewSlots: vi.fn() }));

beforeEach(() => {
  vi.mocked(acquireSlots)
    .mockReset()
    .mockImplementation(async ({ want }) => want);
  vi.mocked(releaseSlots).mockReset().mockResolvedValue(0);
  vi.mocked(renewSlots).mockReset().mockResolvedValue(0);
});

/** A call that runs until `finish()`. */
function call(log: string[], name: string) {
  let finish = () => {};
  const done = new Promise<void>((r) => (finish = r));
  return {
    finish,
    fn: async () => {
      log.push(`start ${name}`);
      await done;
      log.push(`end ${name}`);
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe("SlotPool", () => {
  it("runs at most perWorker calls, and the next chunk's calls take slots as the last chunk's calls end", async () => {
    const pool = new SlotPool({ key: "k", holder: "w/k", leaseMs: 60_000 });
    const log: string[] = [];
    const opts = { limit: 64, perWorker: 2 };
    const [a1, a2, b1, b2] = ["a1", "a2", "b1", "b2"].map((n) => call(log, n));
    const runs = [a1, a2, b1, b2].map((c) => pool.run(opts, c.fn));
    await tick();
    expect(log).toEqual(["start a1", "start a2"]);
    a1.finish();
    await tick();
    // A chunk-wide barrier would hold b1 until a2 ends too.
    expect(log).toEqual(["start a1", "start a2", "end a1", "start b1"]);
    a2.finish();
    b1.finish();
    b2.finish();
    await Promise.all(runs);
    expect(pool.stats.active).toBe(0);
    // One statement for the slots of all four calls, not one per call, and never more than 2.
    expect(vi.mocked(acquireSlots).mock.calls).toHaveLength(1);
    expect(vi.mocked(acquireSlots).mock.calls[0][0]).toMatchObject({ want: 2, limit: 64, holder: "w/k" });
    await pool.close();
  });

  it("waits while no slot is free, then runs; refuses a waiting call whose chunk stops", async () => {
    vi.mocked(acquireSlots).mockResolvedValueOnce(0).mockResolvedValueOnce(0).mockResolvedValue(1);
    const pool = new SlotPool({ key: "k", holder: "w/k", leaseMs: 60_000 });
    const log: string[] = [];
    const first = call(log, "first");
    const stopping = new AbortController();
    const running = pool.run({ limit: 1, perWorker: 1 }, first.fn);
    const waiting = pool.run({ limit: 1, perWorker: 1, signal: stopping.signal }, async () => {
      log.push("never");
    });
    await vi.waitFor(() => expect(log).toEqual(["start first"]));
    expect(vi.mocked(acquireSlots).mock.calls.length).toBeGreaterThanOrEqual(3);
    stopping.abort();
    await expect(waiting).rejects.toBeInstanceOf(StoppedError);
    first.finish();
    await running;
    expect(log).toEqual(["start first", "end first"]);
    await pool.close();
  });

  it("gives its slots back once idle for lingerMs, not between one chunk's calls and the next's", async () => {
    const pool = new SlotPool({ key: "k", holder: "w/k", leaseMs: 60_000, lingerMs: 50 });
    const opts = { limit: 4, perWorker: 4 };
    await pool.run(opts, async () => {});
    await tick();
    await pool.run(opts, async () => {}); // within the linger: the same slots, no new statement
    expect(vi.mocked(acquireSlots).mock.calls).toHaveLength(1);
    expect(releaseSlots).not.toHaveBeenCalled();
    await new Promise((r) => setTimeout(r, 120));
    expect(releaseSlots).toHaveBeenCalledWith({ holder: "w/k" });
    expect(pool.stats.held).toBe(0);
    await pool.close();
  });
});

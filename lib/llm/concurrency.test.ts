import { describe, expect, it } from "vitest";
import { createKeyedLimiter, createLimiter } from "./concurrency";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
const tick = () => new Promise((r) => setTimeout(r, 0));

describe("createLimiter", () => {
  it("never runs more than n tasks at once and starts them in order", async () => {
    const limiter = createLimiter(2);
    const gates = Array.from({ length: 5 }, deferred);
    const started: number[] = [];
    let peak = 0;
    const results = gates.map((gate, i) =>
      limiter.run(async () => {
        started.push(i);
        peak = Math.max(peak, limiter.activeCount);
        await gate.promise;
        return i;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    expect(limiter.pendingCount).toBe(3);
    gates[1].resolve();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    gates.forEach((g) => g.resolve());
    expect(await Promise.all(results)).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
    expect(limiter.activeCount).toBe(0);
  });

  it("frees the slot when a task fails or throws synchronously", async () => {
    const limiter = createLimiter(1);
    await expect(limiter.run(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(
      limiter.run(() => {
        throw new Error("sync");
      }),
    ).rejects.toThrow("sync");
    expect(await limiter.run(async () => "ok")).toBe("ok");
  });

  it("rejects a concurrency below 1 with a clear message", () => {
    expect(() => createLimiter(0)).toThrow("Concurrency must be a whole number of at least 1, got 0.");
  });

  it("limits each key separately", async () => {
    const keyed = createKeyedLimiter((key) => (key === "teacher" ? 1 : 3));
    const gate = deferred();
    const runs = ["teacher", "teacher", "student", "student", "student"].map((key) =>
      keyed.run(key, () => gate.promise),
    );
    await tick();
    expect(keyed.limiterFor("teacher").activeCount).toBe(1);
    expect(keyed.limiterFor("student").activeCount).toBe(3);
    gate.resolve();
    await Promise.all(runs);
  });
});

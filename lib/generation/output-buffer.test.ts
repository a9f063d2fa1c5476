import { describe, expect, it, vi } from "vitest";
import { OutputBuffer } from "./output-buffer";

describe("OutputBuffer", () => {
  it("writes many items in one statement: when maxItems are buffered, after maxDelayMs, and at close", async () => {
    const write = vi.fn(async (_rows: string[]) => {});
    const buffer = new OutputBuffer<string>(write, { maxItems: 3, maxDelayMs: 30 });
    for (const i of [1, 2, 3]) buffer.add([`${i}a`, `${i}b`]);
    await new Promise((r) => setImmediate(r));
    expect(write).toHaveBeenCalledTimes(1); // full: written at once, not after maxDelayMs
    expect(write.mock.calls[0][0]).toEqual(["1a", "1b", "2a", "2b", "3a", "3b"]);
    buffer.add(["4a"]);
    await new Promise((r) => setTimeout(r, 60)); // the oldest waited maxDelayMs
    expect(write).toHaveBeenCalledTimes(2);
    buffer.add(["5a"]);
    await buffer.close();
    expect(write.mock.calls.map((c) => c[0])).toEqual([["1a", "1b", "2a", "2b", "3a", "3b"], ["4a"], ["5a"]]);
  });

  it("fails at close when a write failed, after trying the rest", async () => {
    const write = vi.fn().mockRejectedValueOnce(new Error("db down")).mockResolvedValue(undefined);
    const buffer = new OutputBuffer<number>(write, { maxItems: 1, maxDelayMs: 1000 });
    buffer.add([1]);
    buffer.add([2]);
    await expect(buffer.close()).rejects.toThrow("db down");
    expect(write).toHaveBeenCalledTimes(2);
  });
});

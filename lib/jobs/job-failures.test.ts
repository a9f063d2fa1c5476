import { describe, expect, it } from "vitest";
import {
  FailureLog,
  itemBackoffMs,
  MAX_LISTED_FAILURES,
  mergeJobFailures,
  parseJobFailures,
  runItemWithRetries,
  type ItemFailure,
} from "./job-failures";

const item = { id: "i1", label: "Sentence one" };
const malformed: ItemFailure = { kind: "malformed", reason: "no list in the reply", retry: true };

describe("an item tried again within the job", () => {
  it("is tried at most twice more, backing off between tries, then recorded with its reason", async () => {
    const log = new FailureLog();
    const waits: number[] = [];
    let calls = 0;
    const ok = await runItemWithRetries({
      item,
      log,
      run: async () => {
        calls++;
        throw new Error("bad");
      },
      classify: () => malformed,
      sleep: async (ms) => void waits.push(ms),
    });
    expect(ok).toBe(false);
    expect(calls).toBe(3);
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeGreaterThanOrEqual(250);
    expect(waits[1]).toBeGreaterThanOrEqual(500);
    expect(log.itemRetries).toBe(2);
    expect(log.toJson()).toEqual({
      counts: { refused: 0, malformed: 1, other: 0 },
      items: [{ item: "i1", label: "Sentence one", kind: "malformed", reason: "no list in the reply", attempts: 3 }],
    });
    expect(log.lastReason).toBe("Sentence one: no list in the reply");
  });

  it("counts as done when a later try succeeds, leaving no failure behind", async () => {
    const log = new FailureLog();
    let calls = 0;
    const ok = await runItemWithRetries({
      item,
      log,
      run: async () => {
        if (++calls === 1) throw new Error("bad");
      },
      classify: () => malformed,
      sleep: async () => {},
    });
    expect(ok).toBe(true);
    expect(log.size).toBe(0);
    expect(log.toJson()).toBeNull();
    expect(log.itemRetries).toBe(1);
  });

  it("is not tried again when the failure says another try cannot help", async () => {
    const log = new FailureLog();
    let calls = 0;
    await runItemWithRetries({
      item,
      log,
      run: async () => {
        calls++;
        throw new Error("401");
      },
      classify: () => ({ kind: "refused", reason: "HTTP 401", retry: false }),
      sleep: async () => {},
    });
    expect(calls).toBe(1);
    expect(log.toJson()?.counts).toEqual({ refused: 1, malformed: 0, other: 0 });
  });

  it("lets an error that is not the item's (the database) end the attempt", async () => {
    const log = new FailureLog();
    const boom = new Error("connection terminated");
    await expect(
      runItemWithRetries({
        item,
        log,
        run: async () => {
          throw boom;
        },
        classify: (err) => {
          throw err;
        },
      }),
    ).rejects.toBe(boom);
  });

  it("backs off longer each time", () => {
    expect(itemBackoffMs(1, () => 1)).toBe(500);
    expect(itemBackoffMs(2, () => 1)).toBe(1000);
    expect(itemBackoffMs(2, () => 0)).toBe(500);
  });
});

describe("the stored failures", () => {
  it("keep at most 50 items listed while the counts cover all", () => {
    const log = new FailureLog();
    for (let i = 0; i < 80; i++)
      log.record({ id: `i${i}`, label: `s${i}` }, { ...malformed, reason: "x".repeat(500) }, 3);
    const json = log.toJson()!;
    expect(json.counts.malformed).toBe(80);
    expect(json.items).toHaveLength(50);
    expect(json.items[0].reason).toHaveLength(300);
    expect(parseJobFailures(JSON.parse(JSON.stringify(json)))).toEqual(json);
  });
});

describe("mergeJobFailures (the chunks of one job)", () => {
  const item = (id: string, kind: "refused" | "malformed" | "other") => ({
    item: id,
    label: `Sentence ${id}`,
    kind,
    reason: "why",
    attempts: 3,
  });
  it("sums the counts of every chunk and lists their items, none when no chunk failed", () => {
    const a = { counts: { refused: 1, malformed: 0, other: 0 }, items: [item("a", "refused")] };
    const b = {
      counts: { refused: 0, malformed: 2, other: 0 },
      items: [item("b", "malformed"), item("c", "malformed")],
    };
    expect(mergeJobFailures([a, null, b])).toEqual({
      counts: { refused: 1, malformed: 2, other: 0 },
      items: [item("a", "refused"), item("b", "malformed"), item("c", "malformed")],
    });
    expect(mergeJobFailures([null, null])).toBeNull();
  });
  it("keeps at most the listed number of items while counting all", () => {
    const many = (n: number) => ({
      counts: { refused: 0, malformed: 0, other: n },
      items: Array.from({ length: n }, (_, i) => item(`x${i}`, "other")),
    });
    const merged = mergeJobFailures([many(40), many(40)])!;
    expect(merged.counts.other).toBe(80);
    expect(merged.items).toHaveLength(MAX_LISTED_FAILURES);
  });
});

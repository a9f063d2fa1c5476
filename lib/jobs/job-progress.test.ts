import { describe, expect, it } from "vitest";
import { toProgress } from "./job-progress";
import { failureBreakdown, retrySummary } from "./schemas";

const base = {
  id: "j",
  progressDone: 100,
  progressTotal: 113,
  lastError: "item 7: the reply held no list",
  startedAt: new Date(Date.now() - 10_000),
  finishedAt: new Date(),
  createdAt: new Date(),
  cancelRequestedAt: null,
};

describe("a finished job's status as people read it", () => {
  it("says 'completed with N failures' when items failed, not 'succeeded'", () => {
    expect(toProgress({ ...base, status: "SUCCEEDED", errorCount: 13 }, "teacher").statusLabel).toBe(
      "completed with 13 failures",
    );
    expect(toProgress({ ...base, status: "SUCCEEDED", errorCount: 1 }, "teacher").statusLabel).toBe(
      "completed with 1 failure",
    );
  });

  it("says 'succeeded' only when nothing failed", () => {
    expect(toProgress({ ...base, status: "SUCCEEDED", errorCount: 0 }, "teacher").statusLabel).toBe("succeeded");
    expect(toProgress({ ...base, status: "FAILED", errorCount: 20 }, "judge").statusLabel).toBe("failed");
  });
});

describe("a rerun's rate and time left", () => {
  // The case: 100 of 113 items reused, 13 made in about 2 s.
  const rerun = {
    ...base,
    status: "RUNNING" as const,
    errorCount: 0,
    progressDone: 110,
    reusedCount: 100,
    startedAt: new Date(Date.now() - 2_000),
    finishedAt: null,
  };

  it("counts only the items this run made, not the reused ones", () => {
    const p = toProgress(rerun, "teacher");
    expect(p.reused).toBe(100);
    expect(p.ratePerSecond).toBeGreaterThan(4.5);
    expect(p.ratePerSecond).toBeLessThan(5.5); // 10 items in 2 s, not 110 / 2 = 55 items/s
    expect(p.secondsLeft).toBe(1); // 3 left at 5 items/s, rounded
  });

  it("shows no rate before the run has made anything itself", () => {
    expect(toProgress({ ...rerun, progressDone: 100 }, "teacher").ratePerSecond).toBeNull();
  });
});

describe("a job's failures and retries", () => {
  it("reads the stored failures by kind and lists the first few with their reasons", () => {
    const items = Array.from({ length: 8 }, (_, i) => ({
      item: `i${i}`,
      label: `Sentence ${i}`,
      kind: i % 2 ? ("refused" as const) : ("malformed" as const),
      reason: "why",
      attempts: 3,
    }));
    const p = toProgress(
      {
        ...base,
        status: "SUCCEEDED",
        errorCount: 8,
        failures: { counts: { refused: 4, malformed: 4, other: 0 }, items },
        retryCount: 6,
        itemRetryCount: 16,
      },
      "teacher",
    );
    expect(p.failureCounts).toEqual({ refused: 4, malformed: 4, other: 0 });
    expect(p.failedItems.map((f) => f.label)).toEqual([
      "Sentence 0",
      "Sentence 1",
      "Sentence 2",
      "Sentence 3",
      "Sentence 4",
    ]);
    expect(p.retries).toEqual({ upstream: 6, items: 16 });
  });

  it("treats an unreadable failures column as none rather than failing the page", () => {
    const p = toProgress({ ...base, status: "SUCCEEDED", errorCount: 0, failures: { counts: "x" } }, "teacher");
    expect(p.failureCounts).toEqual({ refused: 0, malformed: 0, other: 0 });
    expect(p.failedItems).toEqual([]);
  });
});

describe("the words the job list shows", () => {
  it("breaks failures down by kind and says what was retried", () => {
    expect(failureBreakdown({ refused: 2, malformed: 1, other: 0 })).toBe("2 refused, 1 malformed");
    expect(failureBreakdown({ refused: 0, malformed: 0, other: 0 })).toBe("");
    expect(retrySummary({ upstream: 6, items: 1 })).toBe("6 calls retried after 429/5xx/time-out, 1 item try repeated");
    expect(retrySummary({ upstream: 0, items: 0 })).toBe("");
  });
});

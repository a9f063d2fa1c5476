import { describe, expect, it } from "vitest";
import { toProgress } from "./job-progress";

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

import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { JobProgress } from "@/lib/jobs";
import { JobList } from "./job-list";

const partial: JobProgress = {
  id: "j1",
  status: "SUCCEEDED",
  statusLabel: "completed with 7 failures",
  systemName: "teacher",
  done: 106,
  total: 113,
  errorCount: 7,
  lastError: "Sentence six: no list",
  failureCounts: { refused: 2, malformed: 5, other: 0 },
  failedItems: [
    { item: "a", label: "Sentence one", kind: "refused", reason: "HTTP 400", attempts: 3 },
    { item: "b", label: "Sentence two", kind: "malformed", reason: "no list in the reply", attempts: 3 },
  ],
  retries: { upstream: 6, items: 14 },
  reused: 100,
  ratePerSecond: 6.6,
  secondsLeft: null,
  cancelRequested: false,
  createdAt: new Date().toISOString(),
};

describe("the job list", () => {
  it("shows a partial job as completed with N failures, by kind, with the first items, their reasons and the retries", () => {
    const html = renderToStaticMarkup(createElement(JobList, { initial: [partial] }));
    const text = html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
    expect(text).toContain("completed with 7 failures");
    expect(text).toContain("7 failed (2 refused, 5 malformed)");
    expect(text).toContain("Sentence one — refused after 3 tries: HTTP 400");
    expect(text).toContain("Sentence two — malformed after 3 tries: no list in the reply");
    expect(text).toContain("and 5 more");
    expect(text).toContain("6 calls retried after 429/5xx/time-out, 14 item tries repeated");
    expect(text).toContain("100 reused, not counted in the rate");
    expect(text).toContain("6.6 items/s");
  });
});

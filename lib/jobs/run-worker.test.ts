import { getEventListeners } from "node:events";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { claimNextJob, finishJob, recordProgress, renewLease } from "./queries";
import { runWorker } from "./run-worker";

vi.mock("./queries", () => ({
  claimNextJob: vi.fn(),
  finishJob: vi.fn(),
  recordProgress: vi.fn(),
  renewLease: vi.fn(),
}));

const job = { id: "00000000-0000-4000-8000-000000000001", type: "t", payload: {}, attempts: 1, cancelRequested: false };

beforeEach(() => {
  vi.mocked(claimNextJob).mockReset().mockResolvedValueOnce(job).mockResolvedValue(null);
  vi.mocked(finishJob).mockReset().mockResolvedValue({ count: 1 });
  vi.mocked(recordProgress).mockReset().mockResolvedValue({ count: 1 });
  vi.mocked(renewLease).mockReset();
});

describe("runWorker", () => {
  it("leaves no abort listener behind while it idles", async () => {
    const controller = new AbortController();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on("warning", onWarning);
    const polls = () => vi.mocked(claimNextJob).mock.calls.length;
    vi.mocked(claimNextJob).mockReset().mockResolvedValue(null);
    const running = runWorker({ handlers: { t: vi.fn() }, pollMs: 5, signal: controller.signal });
    while (polls() < 40) await new Promise((r) => setTimeout(r, 5));
    const listeners = getEventListeners(controller.signal, "abort").length;
    controller.abort();
    await running;
    process.off("warning", onWarning);
    expect(polls()).toBeGreaterThanOrEqual(40);
    expect(listeners).toBeLessThanOrEqual(1);
    expect(warnings).not.toContain("MaxListenersExceededWarning");
  });

  it("keeps running a job when a background lease renewal fails (a database blip must not kill the worker)", async () => {
    vi.mocked(renewLease).mockRejectedValue(new Error("connection reset"));
    const log = vi.fn();
    const handler = vi.fn(async () => {
      await new Promise((r) => setTimeout(r, 700)); // past two keep-alive ticks at leaseMs 300
      return { status: "SUCCEEDED" as const };
    });
    expect(await runWorker({ handlers: { t: handler }, maxJobs: 1, leaseMs: 300, pollMs: 10, log })).toBe(1);
    expect(vi.mocked(renewLease).mock.calls.length).toBeGreaterThanOrEqual(2);
    expect(finishJob).toHaveBeenCalledWith(expect.objectContaining({ jobId: job.id, status: "SUCCEEDED" }));
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/lease renewal failed: connection reset/));
  });

  it("fails a job whose workers kept dying mid-job instead of running it again", async () => {
    vi.mocked(claimNextJob)
      .mockReset()
      .mockResolvedValueOnce({ ...job, attempts: 4 })
      .mockResolvedValue(null);
    const handler = vi.fn(async () => ({ status: "SUCCEEDED" as const }));
    expect(await runWorker({ handlers: { t: handler }, maxJobs: 1, maxAttempts: 3, pollMs: 10 })).toBe(1);
    expect(handler).not.toHaveBeenCalled();
    expect(finishJob).toHaveBeenCalledWith(
      expect.objectContaining({
        jobId: job.id,
        status: "FAILED",
        lastError: expect.stringMatching(/Gave up after 3 attempts/),
      }),
    );
  });

  it("runs a job on its last allowed attempt", async () => {
    vi.mocked(claimNextJob)
      .mockReset()
      .mockResolvedValueOnce({ ...job, attempts: 3 })
      .mockResolvedValue(null);
    vi.mocked(renewLease).mockResolvedValue({ cancelRequested: false });
    const handler = vi.fn(async () => ({ status: "SUCCEEDED" as const }));
    await runWorker({ handlers: { t: handler }, maxJobs: 1, maxAttempts: 3, pollMs: 10 });
    expect(handler).toHaveBeenCalledOnce();
    expect(finishJob).toHaveBeenCalledWith(expect.objectContaining({ status: "SUCCEEDED" }));
  });

  it("stops writing to a job whose lease another worker took over", async () => {
    vi.mocked(renewLease).mockResolvedValue(null);
    const handler = vi.fn(async ({ checkpoint }) => {
      const { stop } = await checkpoint({ done: 1, errorCount: 0 });
      return { status: stop ? ("FAILED" as const) : ("SUCCEEDED" as const) };
    });
    expect(await runWorker({ handlers: { t: handler }, maxJobs: 1, leaseMs: 60_000, pollMs: 10 })).toBe(1);
    expect(handler).toHaveBeenCalledOnce();
    expect(finishJob).not.toHaveBeenCalled();
  });
});

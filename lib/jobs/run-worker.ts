import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import { claimNextJob, finishJob, recordProgress, renewLease, type ClaimedJob, type ProgressReport } from "./queries";

export interface JobContext {
  job: ClaimedJob;
  /** Renews the lease; `stop` is true when the job was cancelled or another worker took it over. */
  checkpoint(progress?: ProgressReport): Promise<{ stop: boolean; cancelled: boolean }>;
}

/** What a handler reports when it returns normally. */
export type JobOutcome = { status: "SUCCEEDED" | "FAILED" | "CANCELLED"; lastError?: string | null };
export type JobHandler = (ctx: JobContext) => Promise<JobOutcome>;

export interface WorkerOptions {
  handlers: Record<string, JobHandler>;
  workerId?: string;
  /** How long a claim lasts without a checkpoint before another worker may take the job over. */
  leaseMs?: number;
  pollMs?: number;
  maxAttempts?: number;
  signal?: AbortSignal;
  /** Stop after this many jobs (tests); default: run until aborted. */
  maxJobs?: number;
  log?: (msg: string) => void;
}

/**
 * Waits `ms` or until the signal aborts. The abort listener is removed when the timer fires: an
 * idle worker sleeps once a poll, and listeners left behind pile up on its one signal
 * (MaxListenersExceededWarning after about ten idle seconds, then one more every poll).
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Runs one job under a lease that a timer keeps renewing while the handler works. */
async function runOne(
  job: ClaimedJob,
  o: Required<Pick<WorkerOptions, "workerId" | "leaseMs" | "maxAttempts">> & WorkerOptions,
) {
  const { workerId, leaseMs } = o;
  let lost = false;
  const keepAlive = setInterval(
    () => {
      // A failed renewal (a database blip) must not become an unhandled rejection: that would kill
      // the worker, and `npm start` takes the whole app down with it. The next tick or checkpoint
      // tries again; if the lease really lapses, the next renewal reports it lost.
      renewLease({ jobId: job.id, workerId, leaseMs }).then(
        (r) => {
          if (!r) lost = true;
        },
        (err: unknown) =>
          o.log?.(`job ${job.id} lease renewal failed: ${err instanceof Error ? err.message : String(err)}`),
      );
    },
    Math.max(250, leaseMs / 3),
  );
  const ctx: JobContext = {
    job,
    async checkpoint(progress) {
      if (progress) await recordProgress({ jobId: job.id, workerId, ...progress });
      const lease = lost ? null : await renewLease({ jobId: job.id, workerId, leaseMs });
      if (!lease) lost = true;
      return { stop: lost || Boolean(lease?.cancelRequested), cancelled: Boolean(lease?.cancelRequested) };
    },
  };
  try {
    const handler = o.handlers[job.type];
    if (!handler) throw new Error(`No handler for job type "${job.type}"`);
    const outcome = job.cancelRequested ? { status: "CANCELLED" as const } : await handler(ctx);
    if (!lost) await finishJob({ jobId: job.id, workerId, ...outcome });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    o.log?.(`job ${job.id} attempt ${job.attempts} failed: ${message}`);
    // Retried from where it stopped (handlers resume), up to maxAttempts.
    const retry = job.attempts < o.maxAttempts;
    if (!lost)
      await finishJob({
        jobId: job.id,
        workerId,
        status: retry ? "QUEUED" : "FAILED",
        lastError: message.slice(0, 2000),
      });
  } finally {
    clearInterval(keepAlive);
  }
}

/** Claims and runs jobs until the signal aborts (or maxJobs are done). */
export async function runWorker(opts: WorkerOptions): Promise<number> {
  const o = {
    workerId: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    leaseMs: 30_000,
    pollMs: 1000,
    maxAttempts: 3,
    ...opts,
  };
  const types = Object.keys(o.handlers);
  let done = 0;
  while (!o.signal?.aborted && (o.maxJobs === undefined || done < o.maxJobs)) {
    const job = await claimNextJob({ workerId: o.workerId, leaseMs: o.leaseMs, types });
    if (!job) {
      await sleep(o.pollMs, o.signal);
      continue;
    }
    if (job.attempts > o.maxAttempts) {
      // An attempt that throws is counted and fails the job at maxAttempts, so a claim past it
      // means workers kept stopping mid-job (a crash, out of memory): give up rather than take
      // down one more worker with the same job.
      o.log?.(`job ${job.id} (${job.type}) given up: claimed ${job.attempts} times`);
      await finishJob({
        jobId: job.id,
        workerId: o.workerId,
        status: "FAILED",
        lastError: `Gave up after ${job.attempts - 1} attempts: the worker running it stopped before finishing each time (did it crash or run out of memory?).`,
      });
    } else {
      o.log?.(`job ${job.id} (${job.type}) claimed, attempt ${job.attempts}`);
      await runOne(job, o);
    }
    done++;
  }
  return done;
}

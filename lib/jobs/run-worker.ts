import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import type { Prisma } from "@/lib/generated/prisma/client";
import { claimNextJob, finishJob, recordProgress, renewLease, type ClaimedJob, type ProgressReport } from "./queries";
import { claimNextChunk, completeChunk, endJob, releaseChunk, renewChunk, type ClaimedChunk } from "./chunk-queries";
import type { ChunkReport } from "./job-failures";
import { acquireSlots, releaseSlots, renewSlots } from "./semaphore";

export interface JobContext {
  job: ClaimedJob;
  /** Renews the lease; `stop` is true when the job was cancelled or another worker took it over. */
  checkpoint(progress?: ProgressReport): Promise<{ stop: boolean; cancelled: boolean }>;
}

/** What a handler reports when it returns normally. */
export type JobOutcome = { status: "SUCCEEDED" | "FAILED" | "CANCELLED"; lastError?: string | null };
export type JobHandler = (ctx: JobContext) => Promise<JobOutcome>;

/** What a chunk handler gets: one share of a job that other workers may be running at the same time. */
export interface ChunkContext {
  job: { id: string; type: string; payload: Prisma.JsonValue };
  chunk: { seq: number; payload: Prisma.JsonValue; attempts: number };
  /**
   * Takes up to `want` slots of a limit shared by every worker (a teacher's concurrency), held
   * until the chunk ends; 0 when none is free now.
   */
  acquireSlots(o: { key: string; limit: number; want: number }): Promise<number>;
  /** Renews the chunk's lease; `stop` when the job was cancelled or ended, or another worker took the chunk. */
  checkpoint(): Promise<{ stop: boolean; cancelled: boolean }>;
}
/** A chunk handler reports what it did, or "stopped" when a checkpoint told it to stop. */
export type ChunkHandler = (ctx: ChunkContext) => Promise<ChunkReport | "stopped">;

export interface WorkerOptions {
  handlers: Record<string, JobHandler>;
  /** Job types split into chunks (JobChunk rows): any number of workers run one such job at once. */
  chunkHandlers?: Record<string, ChunkHandler>;
  workerId?: string;
  /** How long a claim lasts without a checkpoint before another worker may take the job over. */
  leaseMs?: number;
  pollMs?: number;
  maxAttempts?: number;
  signal?: AbortSignal;
  /** Stop after this many jobs or chunks (tests); default: run until aborted. */
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
async function runOne(job: ClaimedJob, o: Resolved) {
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

type Resolved = Required<Pick<WorkerOptions, "workerId" | "leaseMs" | "maxAttempts">> & WorkerOptions;

/** Runs one chunk under its own lease, and the slots it takes under the same renewals. */
async function runChunk(chunk: ClaimedChunk, o: Resolved) {
  const { workerId, leaseMs } = o;
  const ids = { jobId: chunk.jobId, seq: chunk.seq, workerId };
  const label = `job ${chunk.jobId} chunk ${chunk.seq}`;
  if (chunk.attempts > o.maxAttempts) {
    // As for whole jobs: a chunk claimed past maxAttempts kept killing its workers.
    o.log?.(`${label} given up: claimed ${chunk.attempts} times`);
    return releaseChunk({
      ...ids,
      failJob: true,
      lastError: `Gave up after ${chunk.attempts - 1} attempts: the worker running part of it stopped before finishing each time (did it crash or run out of memory?).`,
    });
  }
  if (chunk.cancelRequested) {
    await endJob({ jobId: chunk.jobId, status: "CANCELLED" });
    return releaseChunk(ids);
  }
  const holder = `${workerId}/${chunk.jobId}/${chunk.seq}`;
  let lost = false;
  const keepAlive = setInterval(
    () => {
      // A failed renewal must not become an unhandled rejection (see runOne).
      Promise.all([renewChunk({ ...ids, leaseMs }), renewSlots({ holder, leaseMs })]).then(
        ([r]) => {
          if (!r) lost = true;
        },
        (err: unknown) => o.log?.(`${label} lease renewal failed: ${err instanceof Error ? err.message : String(err)}`),
      );
    },
    Math.max(250, leaseMs / 3),
  );
  const ctx: ChunkContext = {
    job: { id: chunk.jobId, type: chunk.type, payload: chunk.jobPayload },
    chunk: { seq: chunk.seq, payload: chunk.payload, attempts: chunk.attempts },
    acquireSlots: (s) => acquireSlots({ ...s, holder, leaseMs }),
    async checkpoint() {
      const r = lost ? null : await renewChunk({ ...ids, leaseMs });
      if (!r) lost = true;
      return { stop: lost || Boolean(r?.stop), cancelled: Boolean(r?.cancelled) };
    },
  };
  try {
    const handler = o.chunkHandlers?.[chunk.type];
    if (!handler) throw new Error(`No chunk handler for job type "${chunk.type}"`);
    const report = await handler(ctx);
    if (report !== "stopped") {
      const { finished } = await completeChunk({ ...ids, report });
      if (finished) o.log?.(`job ${chunk.jobId} (${chunk.type}) finished`);
    } else if (!lost) {
      const r = await renewChunk({ ...ids, leaseMs });
      if (r?.cancelled) await endJob({ jobId: chunk.jobId, status: "CANCELLED" });
      await releaseChunk(ids);
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    o.log?.(`${label} attempt ${chunk.attempts} failed: ${message}`);
    // Handed back for another worker (handlers resume), until it has failed maxAttempts times.
    await releaseChunk({ ...ids, lastError: message.slice(0, 2000), failJob: chunk.attempts >= o.maxAttempts });
  } finally {
    clearInterval(keepAlive);
    await releaseSlots({ holder }).catch(() => undefined); // a lapsed lease frees them anyway
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
  const chunkTypes = Object.keys(o.chunkHandlers ?? {});
  let done = 0;
  while (!o.signal?.aborted && (o.maxJobs === undefined || done < o.maxJobs)) {
    // Chunks first: a chunked job is shared, so a worker joins it rather than waiting for it.
    const chunk = await claimNextChunk({ workerId: o.workerId, leaseMs: o.leaseMs, types: chunkTypes });
    if (chunk) {
      await runChunk(chunk, o);
      done++;
      continue;
    }
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

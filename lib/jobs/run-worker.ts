import { setMaxListeners } from "node:events";
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import type { Prisma } from "@/lib/generated/prisma/client";
import { claimNextJob, finishJob, recordProgress, renewLease, type ClaimedJob, type ProgressReport } from "./queries";
import { claimNextChunk, completeChunk, endJob, releaseChunk, renewChunk, type ClaimedChunk } from "./chunk-queries";
import type { ChunkReport } from "./job-failures";
import { SlotPool } from "./slot-pool";

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
   * Runs `fn` holding one unit of a limit every worker shares (a teacher's concurrency: `key`
   * names it), waiting for one when none is free. This worker holds at most `perWorker` of them,
   * for all its chunks together. Rejects with StoppedError, without running fn, if the chunk is
   * told to stop meanwhile.
   */
  limited<T>(o: { key: string; limit: number; perWorker: number }, fn: () => Promise<T>): Promise<T>;
  /**
   * Says this chunk has handed all its work to `limited`: the worker claims its next chunk now,
   * whose calls take this one's slots as they come free rather than after the slowest call.
   */
  draining(): void;
  /** Aborted when the job was cancelled or ended, or another worker took the chunk (seen at a lease renewal). */
  signal: AbortSignal;
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
  /**
   * Chunks run at once: one making its calls and the next ones, each claimed when the one before
   * says it is draining, queued behind it (default 3: with 2, a chunk's end (its last write,
   * report and the next claim, ~10 queries) often outlasted the next chunk's 50 ms of calls and
   * the slots idled: 217 vs 387 items/s for one worker on the bench; 1 runs chunks one by one).
   */
  chunksAtOnce?: number;
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

/**
 * Runs one chunk under its own lease; `draining` resolves when the handler says it has started
 * all its work, or when the chunk is over.
 */
function runChunk(chunk: ClaimedChunk, o: Resolved, pools: Pools): { done: Promise<void>; draining: Promise<void> } {
  let markDraining = () => {};
  const draining = new Promise<void>((resolve) => (markDraining = resolve));
  const done = runChunkToEnd(chunk, o, pools, () => markDraining()).finally(markDraining);
  return { done, draining };
}

async function runChunkToEnd(chunk: ClaimedChunk, o: Resolved, pools: Pools, draining: () => void) {
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
  let lost = false;
  const stopping = new AbortController();
  // Every call of the chunk waiting for a slot listens to it (32 for a teacher chunk): not a leak.
  setMaxListeners(0, stopping.signal);
  const keepAlive = setInterval(
    () => {
      // A failed renewal must not become an unhandled rejection (see runOne).
      renewChunk({ ...ids, leaseMs }).then(
        (r) => {
          if (!r) lost = true;
          if (!r || r.stop) stopping.abort();
        },
        (err: unknown) => o.log?.(`${label} lease renewal failed: ${err instanceof Error ? err.message : String(err)}`),
      );
    },
    Math.max(250, leaseMs / 3),
  );
  const ctx: ChunkContext = {
    job: { id: chunk.jobId, type: chunk.type, payload: chunk.jobPayload },
    chunk: { seq: chunk.seq, payload: chunk.payload, attempts: chunk.attempts },
    limited: ({ key, limit, perWorker }, fn) => pools.get(key).run({ limit, perWorker, signal: stopping.signal }, fn),
    draining,
    signal: stopping.signal,
    async checkpoint() {
      const r = lost ? null : await renewChunk({ ...ids, leaseMs });
      if (!r) lost = true;
      if (!r || r.stop) stopping.abort();
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
    await releaseChunk({ ...ids, lastError: message.slice(0, 2000), failJob: chunk.attempts >= o.maxAttempts }).catch(
      (e: unknown) => o.log?.(`${label} could not be handed back: ${e instanceof Error ? e.message : String(e)}`),
    );
  } finally {
    clearInterval(keepAlive);
    stopping.abort(); // nothing of this chunk waits for a slot any more
  }
}

/** This worker's share of each shared limit, one pool per key, for all its chunks. */
class Pools {
  private readonly byKey = new Map<string, SlotPool>();
  constructor(private readonly o: Resolved) {}
  get(key: string): SlotPool {
    let pool = this.byKey.get(key);
    if (!pool) {
      pool = new SlotPool({ key, holder: `${this.o.workerId}/${key}`, leaseMs: this.o.leaseMs, log: this.o.log });
      this.byKey.set(key, pool);
    }
    return pool;
  }
  async close() {
    await Promise.all([...this.byKey.values()].map((p) => p.close()));
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
  const pools = new Pools(o);
  const chunksAtOnce = Math.max(1, o.chunksAtOnce ?? 3);
  const running = new Set<Promise<void>>();
  let done = 0;
  try {
    while (!o.signal?.aborted && (o.maxJobs === undefined || done < o.maxJobs)) {
      if (running.size >= chunksAtOnce) {
        await Promise.race(running);
        continue;
      }
      // Chunks first: a chunked job is shared, so a worker joins it rather than waiting for it.
      const chunk = await claimNextChunk({ workerId: o.workerId, leaseMs: o.leaseMs, types: chunkTypes });
      if (chunk) {
        const run = runChunk(chunk, o, pools);
        const settled: Promise<void> = run.done
          .catch((err: unknown) =>
            o.log?.(`job ${chunk.jobId} chunk ${chunk.seq}: ${err instanceof Error ? err.message : String(err)}`),
          )
          .finally(() => running.delete(settled));
        running.add(settled);
        done++;
        // The next chunk is claimed once this one has started all its work (or is over).
        await run.draining;
        continue;
      }
      if (running.size > 0) {
        // Nothing to claim now: look again when a running chunk ends, or after a poll.
        await Promise.race([...running, sleep(o.pollMs, o.signal)]);
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
  } finally {
    await Promise.all(running);
    await pools.close();
  }
  return done;
}

import { z } from "zod";

/**
 * Why an item failed, in three kinds a researcher acts on differently: `refused` (the endpoint
 * said no: an HTTP 4xx, or the model declined), `malformed` (a reply that could not be read),
 * `other` (time-outs, connection and server errors that outlasted the retries).
 */
export const FAILURE_KINDS = ["refused", "malformed", "other"] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

/** How many failed items a job keeps with their reasons (the counts cover all of them). */
export const MAX_LISTED_FAILURES = 50;
const MAX_REASON = 300;

export const JobFailureItemSchema = z.object({
  item: z.string(),
  /** What a person recognises the item by (a sentence's start, a pair and side). */
  label: z.string(),
  kind: z.enum(FAILURE_KINDS),
  reason: z.string(),
  attempts: z.number().int().min(1),
});
export type JobFailureItem = z.infer<typeof JobFailureItemSchema>;

export const JobFailuresSchema = z.object({
  counts: z.object({ refused: z.number().int(), malformed: z.number().int(), other: z.number().int() }),
  items: z.array(JobFailureItemSchema),
});
export type JobFailures = z.infer<typeof JobFailuresSchema>;

export interface ProgressReport {
  done: number;
  errorCount: number;
  lastError?: string | null;
  /** Failed items by kind with reasons; null clears them (every item done after all). */
  failures?: JobFailures | null;
  /** Upstream calls retried (429, 5xx, time-outs) and failed items tried again, in this run. */
  retries?: { upstream: number; items: number };
}

/** What one chunk of a chunked job reports when it is done; the job's columns are the sums over its chunks. */
export interface ChunkReport {
  /** Items of this chunk that are done (have their outputs). */
  done: number;
  errorCount: number;
  lastError: string | null;
  failures: JobFailures | null;
  retries: { upstream: number; items: number };
}

/** The failures of several chunks as one job's: counts summed, the first listed items kept. */
export function mergeJobFailures(values: unknown[]): JobFailures | null {
  const counts = { refused: 0, malformed: 0, other: 0 };
  const items: JobFailureItem[] = [];
  for (const v of values) {
    if (v === null || v === undefined) continue;
    const f = parseJobFailures(v);
    for (const k of FAILURE_KINDS) counts[k] += f.counts[k];
    items.push(...f.items.slice(0, MAX_LISTED_FAILURES - items.length));
  }
  return counts.refused + counts.malformed + counts.other === 0 ? null : { counts, items };
}

const NONE: JobFailures = { counts: { refused: 0, malformed: 0, other: 0 }, items: [] };

/** The stored failures column, read back through the schema; anything unreadable counts as none. */
export function parseJobFailures(value: unknown): JobFailures {
  return JobFailuresSchema.safeParse(value).data ?? NONE;
}

/** A failed attempt as the domain classifies it; `retry: false` for failures another try cannot fix. */
export interface ItemFailure {
  kind: FailureKind;
  reason: string;
  retry: boolean;
}

/** Failed items of one job run, their retries within the job, and upstream retries (429/5xx). */
export class FailureLog {
  private readonly byItem = new Map<string, JobFailureItem>();
  upstreamRetries = 0;
  itemRetries = 0;

  get size(): number {
    return this.byItem.size;
  }

  get ids(): string[] {
    return [...this.byItem.keys()];
  }

  record(item: { id: string; label: string }, failure: ItemFailure, attempts: number): void {
    this.byItem.set(item.id, {
      item: item.id,
      label: item.label,
      kind: failure.kind,
      reason: failure.reason.slice(0, MAX_REASON),
      attempts,
    });
  }

  /** The last reason given, for the job's `lastError`. */
  get lastReason(): string | null {
    const last = [...this.byItem.values()].at(-1);
    return last ? `${last.label}: ${last.reason}` : null;
  }

  /** What a checkpoint stores: `done` items, the failures and the retries so far. */
  progress(done: number): ProgressReport {
    return {
      done,
      errorCount: this.size,
      lastError: this.lastReason,
      failures: this.toJson(),
      retries: { upstream: this.upstreamRetries, items: this.itemRetries },
    };
  }

  /** What a chunk reports when it is done. */
  chunkReport(done: number): ChunkReport {
    return {
      done,
      errorCount: this.size,
      lastError: this.lastReason,
      failures: this.toJson(),
      retries: { upstream: this.upstreamRetries, items: this.itemRetries },
    };
  }

  toJson(): JobFailures | null {
    if (this.byItem.size === 0) return null;
    const all = [...this.byItem.values()];
    const counts = { refused: 0, malformed: 0, other: 0 };
    for (const f of all) counts[f.kind]++;
    return { counts, items: all.slice(0, MAX_LISTED_FAILURES) };
  }
}

/** Back-off before an item's next try within the job: 0.5 s, then 1 s, with jitter. */
export function itemBackoffMs(retry: number, random: () => number = Math.random): number {
  const ceiling = 500 * 2 ** (retry - 1);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/**
 * Runs one item, trying it again after a back-off when it fails (at most `extraAttempts` more
 * times), and records it in the log when every try failed. `classify` turns a thrown error into a
 * failure; it rethrows what is not an item's failure (a database error), which ends the attempt.
 */
export async function runItemWithRetries({
  item,
  run,
  classify,
  log,
  extraAttempts = 2,
  sleep = (ms) => new Promise((r) => setTimeout(r, ms)),
}: {
  item: { id: string; label: string };
  run: () => Promise<void>;
  classify: (err: unknown) => ItemFailure;
  log: FailureLog;
  extraAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
}): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    let failure: ItemFailure;
    try {
      await run();
      return true;
    } catch (err) {
      failure = classify(err);
    }
    if (!failure.retry || attempt > extraAttempts) {
      log.record(item, failure, attempt);
      return false;
    }
    log.itemRetries++;
    await sleep(itemBackoffMs(attempt));
  }
}

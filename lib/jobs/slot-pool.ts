import { acquireSlots, releaseSlots, renewSlots } from "./semaphore";

/** Thrown to a task still waiting for a slot when its chunk was told to stop. */
export class StoppedError extends Error {
  constructor() {
    super("stopped while waiting for a slot");
  }
}

interface Waiter {
  start(): void;
  /** Takes it out of the queue and rejects it with StoppedError. */
  stop(): void;
}

export interface SlotPoolOptions {
  /** The worker's holder name for this key's slot rows. */
  holder: string;
  key: string;
  leaseMs: number;
  log?: (msg: string) => void;
  /** How long idle slots are kept before they go back (the next chunk's calls usually follow at once). */
  lingerMs?: number;
}

/**
 * One worker's share of a limit that every worker shares (a teacher's concurrency), used by every
 * chunk the worker runs on that key, so a chunk that starts while the last one finishes its calls
 * takes over the slots call by call instead of waiting for all of them (no chunk-end barrier).
 * The slots are `ConcurrencySlot` rows under one holder per worker and key, taken many at a time,
 * renewed while held and given back once the worker has had no call for them for `lingerMs`; a
 * worker that dies loses them when their lease runs out. A worker never holds more than
 * `perWorker` of them (the most calls one worker has in flight).
 */
export class SlotPool {
  private held = 0;
  private active = 0;
  private readonly queue: Waiter[] = [];
  private limit = 0;
  private perWorker = 0;
  private acquiring = false;
  private lastTry = 0;
  private renewal: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private releasing: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: SlotPoolOptions) {}

  /** Calls running now under this pool's slots, and slots held (tests, logs). */
  get stats() {
    return { held: this.held, active: this.active, waiting: this.queue.length };
  }

  /**
   * Runs `fn` holding one slot. `limit` and `perWorker` come from the caller each time (a limit
   * changed while a job runs applies from the next slots taken). Rejects with StoppedError,
   * without running fn, when `signal` aborts while it waits.
   */
  run<T>(
    { limit, perWorker, signal }: { limit: number; perWorker: number; signal?: AbortSignal },
    fn: () => Promise<T>,
  ): Promise<T> {
    this.limit = limit;
    this.perWorker = Math.max(1, Math.min(perWorker, limit));
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    return new Promise<T>((resolve, reject) => {
      if (signal?.aborted) return reject(new StoppedError());
      const onAbort = () => waiter.stop();
      const waiter: Waiter = {
        start: () => {
          signal?.removeEventListener("abort", onAbort);
          this.active++;
          Promise.resolve()
            .then(fn)
            .then(resolve, reject)
            .finally(() => {
              this.active--;
              this.dispatch();
            });
        },
        stop: () => {
          signal?.removeEventListener("abort", onAbort);
          const at = this.queue.indexOf(waiter);
          if (at < 0) return;
          this.queue.splice(at, 1);
          reject(new StoppedError());
          this.dispatch();
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.queue.push(waiter);
      this.dispatch();
    });
  }

  private dispatch() {
    while (this.active < this.held && this.queue.length > 0) {
      this.queue.shift()!.start();
    }
    if (this.queue.length > 0) this.acquire();
    else if (this.active === 0 && this.held > 0 && !this.idleTimer)
      this.idleTimer = setTimeout(() => this.releaseIdle(), this.o.lingerMs ?? 200);
  }

  /** Takes what the waiting calls need, up to perWorker; polls with back-off while it holds none. */
  private acquire() {
    if (this.acquiring) return;
    // Holding some already: the waiting calls run as those finish; ask for more at most every
    // 200 ms (another worker may have given some back), not once per waiting call.
    if (this.held >= this.perWorker || (this.held > 0 && Date.now() - this.lastTry < 200)) return;
    this.acquiring = true;
    void (async () => {
      try {
        for (let wait = 20; this.queue.length > 0; wait = Math.min(500, wait * 2)) {
          await this.releasing;
          const want = Math.min(this.perWorker, this.active + this.queue.length) - this.held;
          if (want <= 0) return;
          this.lastTry = Date.now();
          const got = await acquireSlots({
            key: this.o.key,
            limit: this.limit,
            want,
            holder: this.o.holder,
            leaseMs: this.o.leaseMs,
          });
          if (got > 0) {
            this.held += got;
            this.keepRenewing();
          }
          if (this.held > 0) return;
          await new Promise((r) => setTimeout(r, wait * (0.5 + Math.random())));
        }
      } catch (err) {
        // A database blip: the waiting calls stay queued and the next dispatch tries again.
        this.o.log?.(`slots of ${this.o.key}: ${err instanceof Error ? err.message : String(err)}`);
        await new Promise((r) => setTimeout(r, 200));
      } finally {
        this.acquiring = false;
        this.dispatch();
      }
    })();
  }

  private keepRenewing() {
    if (this.renewal) return;
    this.renewal = setInterval(
      () => {
        renewSlots({ holder: this.o.holder, leaseMs: this.o.leaseMs }).then(
          // Slots whose lease lapsed (a long database outage) and were taken by another worker
          // are no longer ours: run fewer calls at once from now on.
          (still) => {
            if (still < this.held) this.held = still;
          },
          (err: unknown) =>
            this.o.log?.(`slots of ${this.o.key}: renewal failed: ${err instanceof Error ? err.message : String(err)}`),
        );
      },
      Math.max(250, this.o.leaseMs / 3),
    );
  }

  private releaseIdle() {
    this.idleTimer = null;
    if (this.active > 0 || this.queue.length > 0 || this.held === 0) return;
    this.held = 0;
    if (this.renewal) clearInterval(this.renewal);
    this.renewal = null;
    this.releasing = releaseSlots({ holder: this.o.holder }).catch(() => undefined); // a lapsed lease frees them anyway
  }

  /** Gives every slot back now (the worker is stopping); calls still waiting are refused. */
  async close() {
    for (const w of [...this.queue]) w.stop();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (this.renewal) clearInterval(this.renewal);
    this.renewal = null;
    this.held = 0;
    await this.releasing;
    await releaseSlots({ holder: this.o.holder }).catch(() => undefined);
  }
}

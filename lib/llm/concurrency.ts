export interface Limiter {
  /** Runs fn when fewer than `concurrency` tasks are running; resolves or rejects with fn. */
  run<T>(fn: () => Promise<T>): Promise<T>;
  readonly activeCount: number;
  readonly pendingCount: number;
}

/** At most `concurrency` tasks at a time, started in the order they were submitted. */
export function createLimiter(concurrency: number): Limiter {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new Error(`Concurrency must be a whole number of at least 1, got ${concurrency}.`);
  }
  const queue: Array<() => void> = [];
  let active = 0;

  const next = () => {
    if (active >= concurrency) return;
    const start = queue.shift();
    if (start) {
      active++;
      start();
    }
  };

  return {
    run<T>(fn: () => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push(() => {
          // Promise.resolve().then(fn) also catches a fn that throws synchronously.
          Promise.resolve()
            .then(fn)
            .then(resolve, reject)
            .finally(() => {
              active--;
              next();
            });
        });
        next();
      });
    },
    get activeCount() {
      return active;
    },
    get pendingCount() {
      return queue.length;
    },
  };
}

/** One limiter per key (e.g. per system), each created on first use with its own concurrency. */
export function createKeyedLimiter(concurrencyFor: (key: string) => number): {
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
  limiterFor(key: string): Limiter;
} {
  const limiters = new Map<string, Limiter>();
  const limiterFor = (key: string) => {
    let limiter = limiters.get(key);
    if (!limiter) {
      limiter = createLimiter(concurrencyFor(key));
      limiters.set(key, limiter);
    }
    return limiter;
  };
  return { limiterFor, run: (key, fn) => limiterFor(key).run(fn) };
}

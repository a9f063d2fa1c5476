/**
 * Seeded pseudo-random numbers so that every bootstrap interval is reproducible: the same seed
 * gives bit-identical intervals on every machine. mulberry32 (32-bit state) is fast and good
 * enough for resampling indices; it is not meant for cryptography.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  nextInt(n: number): number;
  /** Standard normal (Box-Muller), for simulations and the benchmark. */
  nextNormal(): number;
  /**
   * Fills out[0 .. out.length) with uniform integers in [0, n): the bootstrap's hot loop (same
   * stream as calling nextInt repeatedly).
   */
  fillInts(out: Uint32Array, n: number): void;
  /**
   * Fills out with the generator's raw 32-bit outputs, the stream fillInts maps to [0, n):
   * intsFromRaw(raw, n) of them equals fillInts(n) from the same state, so the costly part can
   * run before n is known.
   */
  fillRaw(out: Uint32Array): void;
}

/** out[i] = the integer in [0, n) that fillInts derives from raw output raw[i]. */
export function intsFromRaw(raw: Uint32Array, n: number, out: Uint32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = Math.floor((raw[i] / 4294967296) * n);
}

// splitmix32 spreads nearby seeds (1, 2, 3, ...) so their streams do not start alike.
function mixSeed(seed: number): number {
  let z = (seed >>> 0) + 0x9e3779b9;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** mulberry32's output for a state: small enough that V8 inlines it into the fill loops. */
function output(state: number): number {
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

/** Creates a mulberry32 generator from an integer seed. */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError("seed must be a finite number");
  let state = mixSeed(Math.trunc(seed));
  let spareNormal: number | null = null;

  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    return output(state) / 4294967296;
  };

  const fillInts = (out: Uint32Array, n: number) => {
    let s = state;
    for (let i = 0; i < out.length; i++) {
      s = (s + 0x6d2b79f5) >>> 0;
      out[i] = Math.floor((output(s) / 4294967296) * n);
    }
    state = s;
  };

  const fillRaw = (out: Uint32Array) => {
    let s = state;
    for (let i = 0; i < out.length; i++) {
      s = (s + 0x6d2b79f5) >>> 0;
      out[i] = output(s);
    }
    state = s;
  };

  return {
    next,
    fillInts,
    fillRaw,
    // floor(u * n) has a bias below n / 2^32, far under bootstrap Monte Carlo error.
    nextInt: (n) => Math.floor(next() * n),
    nextNormal: () => {
      if (spareNormal !== null) {
        const value = spareNormal;
        spareNormal = null;
        return value;
      }
      let u = next();
      while (u === 0) u = next();
      const radius = Math.sqrt(-2 * Math.log(u));
      const angle = 2 * Math.PI * next();
      spareNormal = radius * Math.sin(angle);
      return radius * Math.cos(angle);
    },
  };
}

/** Derives an independent-looking child seed from a seed and a label (the bundle's item draws use "items"). */
export function deriveSeed(seed: number, label: string): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < label.length; i++) {
    hash = Math.imul(hash ^ label.charCodeAt(i), 0x01000193);
  }
  return mixSeed(hash >>> 0);
}

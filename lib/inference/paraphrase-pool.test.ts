import { afterAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { NotFoundError } from "../errors";
import { closeParaphrasePool, paraphrase } from "./paraphrase-pool";
import { runParaphrase } from "./run-paraphrase";
import { loadReference, SHIPPED_MODELS_DIR, STUDENT } from "./testing/fixtures";

const inputs = loadReference().inputs;
// Heavy enough that one decoder call takes tens of milliseconds: 32 inputs x 8 beams, no cache
const heavy = {
  modelName: STUDENT,
  modelsDir: SHIPPED_MODELS_DIR,
  inputs: Array.from({ length: 32 }, (_, i) => inputs[i % inputs.length]),
  options: { strategy: "beam" as const, numBeams: 8, maxNewTokens: 40, minNewTokens: 40, useCache: false },
};

/**
 * Runs fn while a 5 ms interval ticks; returns the share of the time spent in gaps longer than
 * 50 ms (the loop was blocked). A share rather than the longest gap: on a loaded 2-core machine
 * the OS alone can delay one tick that long.
 */
async function blockedShare(fn: () => Promise<unknown>): Promise<number> {
  const gaps: number[] = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    gaps.push(now - last);
    last = now;
  }, 5);
  const started = performance.now();
  try {
    await fn();
  } finally {
    clearInterval(timer);
  }
  gaps.push(performance.now() - last);
  return gaps.filter((g) => g > 50).reduce((a, b) => a + b, 0) / (performance.now() - started);
}

afterAll(() => closeParaphrasePool());

describe("paraphrase (worker pool)", () => {
  it("returns numReturnSequences paraphrases per input with token counts", async () => {
    const r = await paraphrase({
      modelName: STUDENT,
      modelsDir: SHIPPED_MODELS_DIR,
      inputs: inputs.slice(0, 3),
      options: { strategy: "diverse-beam", numBeams: 4, numBeamGroups: 4, diversityPenalty: 1, numReturnSequences: 4 },
    });
    expect(r.outputs).toHaveLength(3);
    r.outputs.forEach((outs) => expect(outs).toHaveLength(4));
    expect(new Set(r.outputs[0]).size).toBeGreaterThan(1);
    expect(r.tokenCounts.input.every((n) => n > 3)).toBe(true);
    expect(r.tokenCounts.generated.flat().every((n) => n > 0)).toBe(true);
    expect(r.latencyMs).toBeGreaterThan(0);
    expect(r.usedKvCache).toBe(true);
  }, 60_000);

  it("keeps the event loop responsive while a batch generates", async () => {
    await paraphrase({ ...heavy, inputs: inputs.slice(0, 1), options: { strategy: "greedy" } }); // worker warm
    // The same work in this thread blocks the loop for whole decoder calls: the check can fail
    const inThread = await blockedShare(() => runParaphrase(heavy));
    const inWorker = await blockedShare(() => paraphrase(heavy));
    expect(inThread).toBeGreaterThan(0.3);
    expect(inWorker).toBeLessThan(0.1);
  }, 120_000);

  it("rejects bad options before they reach the worker, with a clear message", async () => {
    const bad = paraphrase({
      modelName: STUDENT,
      inputs: ["A sentence."],
      options: { strategy: "diverse-beam", numBeams: 6, numBeamGroups: 4, diversityPenalty: 1 },
    });
    await expect(bad).rejects.toBeInstanceOf(ZodError);
    await expect(bad).rejects.toThrow(/numBeams \(6\) must be divisible by numBeamGroups \(4\)/);
  });

  it("reports an unknown model as NotFoundError across the thread boundary", async () => {
    const r = paraphrase({ modelName: "no-such-model", modelsDir: SHIPPED_MODELS_DIR, inputs: ["A sentence."] });
    await expect(r).rejects.toBeInstanceOf(NotFoundError);
  }, 60_000);
});

import { performance } from "node:perf_hooks";
import * as ort from "onnxruntime-node";
import { generate } from "../../lib/inference/generate";
import { GenerationOptionsSchema, type GenerationOptionsInput } from "../../lib/inference/schemas";
import type { LoadedModel } from "../../lib/inference/seq2seq-model";
import { sessionOptions } from "../../lib/inference/session-cache";

/** Wraps a session so that the time spent in run() adds up into clock.ms. */
function timedSession(session: ort.InferenceSession, clock: { ms: number }): ort.InferenceSession {
  return new Proxy(session, {
    get(target, prop) {
      if (prop === "run") {
        return async (...args: Parameters<ort.InferenceSession["run"]>) => {
          const t0 = performance.now();
          try {
            return await target.run(...args);
          } finally {
            clock.ms += performance.now() - t0;
          }
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

export type Timing = {
  latenciesMs: number[];
  decoderMs: number[];
  encoderLen: number;
  generated: number[];
  usedKvCache: boolean;
  /** The last run's sequences, per input. */
  sequences: number[][][];
};

/** Runs one generation setting warmup + runs times; decoder time is measured inside session.run. */
export async function timeGeneration(
  model: LoadedModel,
  inputs: string[],
  options: GenerationOptionsInput,
  reps: { warmup: number; runs: number },
): Promise<Timing> {
  const parsed = GenerationOptionsSchema.parse(options);
  const clock = { ms: 0 };
  const timed: LoadedModel = {
    ...model,
    decoder: timedSession(model.decoder, clock),
    decoderWithPast: model.decoderWithPast ? timedSession(model.decoderWithPast, clock) : null,
    noCacheDecoder: timedSession(model.noCacheDecoder, clock),
  };
  const out: Timing = {
    latenciesMs: [],
    decoderMs: [],
    encoderLen: 0,
    generated: [],
    usedKvCache: false,
    sequences: [],
  };
  for (let rep = 0; rep < reps.warmup + reps.runs; rep++) {
    clock.ms = 0;
    const t0 = performance.now();
    const g = await generate(timed, inputs, { ...parsed, seed: rep });
    const ms = performance.now() - t0;
    if (rep < reps.warmup) continue;
    out.latenciesMs.push(ms);
    out.decoderMs.push(clock.ms);
    out.encoderLen = Math.max(...g.inputTokenCounts);
    out.generated = g.generatedTokenCounts.flat();
    out.usedKvCache = g.usedKvCache;
    out.sequences = g.sequences;
  }
  return out;
}

/** Best GFLOP/s of an n x n float32 MatMul in onnxruntime-node: the machine's practical peak. */
export async function matmulPeak(file: string, n = 2048, runs = 6): Promise<number> {
  const session = await ort.InferenceSession.create(file, sessionOptions());
  const a = new ort.Tensor(
    "float32",
    Float32Array.from({ length: n * n }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5),
    [n, n],
  );
  const b = new ort.Tensor(
    "float32",
    Float32Array.from({ length: n * n }, (_, i) => ((i * 104729) % 1000) / 1000 - 0.5),
    [n, n],
  );
  let best = Infinity;
  for (let i = 0; i < runs + 1; i++) {
    const t0 = performance.now();
    await session.run({ a, b });
    const ms = performance.now() - t0;
    if (i > 0) best = Math.min(best, ms); // the first run allocates
  }
  await session.release();
  return (2 * n ** 3) / (best / 1000) / 1e9;
}

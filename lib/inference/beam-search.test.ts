import { describe, expect, it } from "vitest";
import { beamSearch } from "./beam-search";
import type { DecoderRunner, ScoreKind, TopKStep } from "./decoder-runner";
import { topK } from "./logits-processors";
import { GenerationOptionsSchema, type GenerationOptionsInput } from "./schemas";

const VOCAB = 40;
const EOS = 1;

/**
 * A decoder whose log-probabilities are a fixed function of each row's ids. With a grid it
 * rounds them to it, so many entries tie exactly: the top-k path then has to prove its answers or
 * fall back to whole rows.
 */
class FakeDecoder implements DecoderRunner {
  readonly usesCache = false;
  topKSteps = 0;
  rescores = 0;
  private last: Float32Array | null = null;

  constructor(
    private readonly sparse: boolean,
    private readonly grid: number,
  ) {}

  private logprobs(ids: number[][]): Float32Array {
    const out = new Float32Array(ids.length * VOCAB);
    ids.forEach((row, r) => {
      let h = row.reduce((a, t) => Math.imul(a ^ t, 0x9e3779b1) >>> 0, 0x12345);
      const logits = Array.from({ length: VOCAB }, () => {
        h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) >>> 0;
        const x = (h / 2 ** 32) * 6;
        return this.grid > 0 ? Math.round(x / this.grid) * this.grid : x;
      });
      const max = Math.max(...logits);
      const lse = Math.log(logits.reduce((a, x) => a + Math.exp(x - max), 0));
      logits.forEach((x, c) => (out[r * VOCAB + c] = Math.fround(Math.fround(x - max) - lse)));
    });
    return out;
  }

  async step(ids: number[][], _kind?: ScoreKind) {
    return { scores: this.logprobs(ids), vocabSize: VOCAB };
  }

  stepWithLogprobs(): never {
    throw new Error("beam search asks for log-probabilities only");
  }

  async stepTopK(ids: number[][], k: number, gather: number[][]): Promise<TopKStep> {
    if (!this.sparse) return this.step(ids);
    this.topKSteps++;
    const all = this.logprobs(ids);
    this.last = all.slice();
    const width = Math.max(1, ...gather.map((g) => g.length));
    const top = {
      perRow: k,
      ids: new BigInt64Array(ids.length * k),
      scores: new Float32Array(ids.length * k),
      gathered: new Float32Array(ids.length * width),
      gatherWidth: width,
    };
    ids.forEach((_, r) => {
      const row = all.subarray(r * VOCAB, (r + 1) * VOCAB);
      const best = topK(row, k); // ties to the lower id, as onnxruntime's TopK
      best.indices.forEach((t, j) => (top.ids[r * k + j] = BigInt(t)));
      top.scores.set(best.values, r * k);
      gather[r].forEach((t, j) => (top.gathered[r * width + j] = row[t]));
    });
    return { vocabSize: VOCAB, top };
  }

  async rescore() {
    this.rescores++;
    return this.last!.slice();
  }

  reorder(): void {}
}

async function decode(options: GenerationOptionsInput, sparse: boolean, grid: number) {
  const runner = new FakeDecoder(sparse, grid);
  const out = await beamSearch({
    runner,
    batch: 3,
    options: GenerationOptionsSchema.parse(options),
    startId: 0,
    eosId: EOS,
    padId: 0,
  });
  return { out, runner };
}

describe("beam search from each row's best entries", () => {
  const cases: [string, GenerationOptionsInput][] = [
    ["plain", { strategy: "beam", numBeams: 4, numReturnSequences: 4, maxNewTokens: 12 }],
    [
      "penalties",
      {
        strategy: "beam",
        numBeams: 3,
        numReturnSequences: 2,
        maxNewTokens: 12,
        minNewTokens: 4,
        noRepeatNgramSize: 2,
        repetitionPenalty: 1.4,
      },
    ],
    [
      "a repetition penalty that raises scores",
      { strategy: "beam", numBeams: 4, numReturnSequences: 3, maxNewTokens: 10, repetitionPenalty: 0.7 },
    ],
  ];

  it.each(cases)(
    "%s: the same beams and scores as from whole rows, without refetching them",
    async (_name, options) => {
      const whole = await decode(options, false, 0);
      const sparse = await decode(options, true, 0);
      expect(sparse.out).toEqual(whole.out);
      expect(sparse.runner.topKSteps).toBeGreaterThan(5);
      expect(sparse.runner.rescores).toBe(0);
    },
  );

  it.each(cases)(
    "%s: exact ties that the best entries cannot settle fall back to whole rows",
    async (_name, options) => {
      const whole = await decode(options, false, 3);
      const sparse = await decode(options, true, 3);
      expect(sparse.out).toEqual(whole.out);
      expect(sparse.runner.rescores).toBeGreaterThan(0);
    },
  );
});

import * as ort from "onnxruntime-node";
import { GATHER_INDICES, GATHERED, LOGPROBS_OUTPUT, TOPK_INDICES, TOPK_K, TOPK_VALUES } from "./decoder-graph";
import { logSoftmaxRows } from "./log-softmax";
import { int64Tensor, isMerged, mergedFeeds, pick, repeatRows, type LoadedModel } from "./seq2seq-model";

/** Raw logits, or their log_softmax over the vocabulary (what beam search scores with). */
export type ScoreKind = "logits" | "logprobs";

/**
 * Gives next-token logits for every decoder row. Rows are laid out input-major
 * (input 0's beams, then input 1's, ...), `rowsPerInput` per input, like generate()'s.
 */
export interface DecoderRunner {
  readonly usesCache: boolean;
  /**
   * ids: the full decoder ids of every row. Returns (rows x vocab) scores of the last position:
   * the caller may modify them; they are valid until the next step (buffers may be reused).
   */
  step(ids: number[][], kind?: ScoreKind): Promise<{ scores: Float32Array; vocabSize: number }>;
  /** Both kinds of scores from one decoder run (greedy and sampling pick from logits, score with log-probabilities). */
  stepWithLogprobs(ids: number[][]): Promise<{ logits: Float32Array; logprobs: Float32Array; vocabSize: number }>;
  /**
   * Log-probabilities for beam search, as each row's `k` best (ids and scores, best first, ties
   * to the lower id) plus the scores at each row's `gather` ids, when the decoder can give them
   * without fetching whole rows; else the whole rows, as step(ids, "logprobs").
   */
  stepTopK(ids: number[][], k: number, gather: number[][]): Promise<TopKStep>;
  /** The whole log-probability rows of the last stepTopK that returned a top-k (runs it again). */
  rescore(): Promise<Float32Array>;
  /** Row r continues from old row rows[r] (beam reordering). */
  reorder(rows: Int32Array): void;
}

export type TopKStep =
  | { vocabSize: number; scores: Float32Array; top?: undefined }
  | {
      vocabSize: number;
      scores?: undefined;
      top: { perRow: number; ids: BigInt64Array; scores: Float32Array; gathered: Float32Array; gatherWidth: number };
    };

export type DecoderContext = {
  model: LoadedModel;
  /** The encoder's output and attention mask, one row per input (not per decoder row). */
  hiddenStates: ort.Tensor;
  attentionMask: ort.Tensor;
  rowsPerInput: number;
  /** The longest the decoder ids can get (start token included): the cache never grows past it. */
  maxLength?: number;
};

/**
 * When every input's rows hold the same ids (always so on the first step: each row is the start
 * token), the ids of one row per input; else null. Running the decoder on those alone and
 * repeating the result gives the same numbers for rowsPerInput times less work.
 */
function distinctInputRows(ids: number[][], perInput: number): number[][] | null {
  if (perInput === 1) return null;
  const out: number[][] = [];
  for (let first = 0; first < ids.length; first += perInput) {
    const a = ids[first];
    for (let r = first + 1; r < first + perInput; r++) {
      const b = ids[r];
      if (b.length !== a.length || b.some((t, j) => t !== a[j])) return null;
    }
    out.push(a);
  }
  return out;
}

/** Writes the last position's logits of (rows, len, vocab) into out, each row repeated `times` times. */
function lastPositionInto(t: ort.Tensor, times: number, out: Float32Array): void {
  const [rows, len, vocab] = t.dims;
  const data = t.data as Float32Array;
  for (let r = 0; r < rows; r++) {
    const row = data.subarray((r * len + len - 1) * vocab, (r * len + len) * vocab);
    for (let k = 0; k < times; k++) out.set(row, (r * times + k) * vocab);
  }
}

/** A scores buffer that is kept while its size fits. */
class ScoresBuffer {
  private data = new Float32Array(0);
  get(size: number): Float32Array {
    if (this.data.length !== size) this.data = new Float32Array(size);
    return this.data;
  }
}

type Scores = { logits: Float32Array | null; logprobs: Float32Array | null; vocabSize: number };

/** step() and stepWithLogprobs() over one scores() per runner. */
abstract class ScoringDecoder {
  protected readonly logprobBuffer = new ScoresBuffer();

  /** One decoder step giving the kinds asked for (both from one run). */
  protected abstract scores(ids: number[][], want: { logits: boolean; logprobs: boolean }): Promise<Scores>;

  async step(ids: number[][], kind: ScoreKind = "logits") {
    const s = await this.scores(ids, { logits: kind === "logits", logprobs: kind === "logprobs" });
    return { scores: (kind === "logits" ? s.logits : s.logprobs)!, vocabSize: s.vocabSize };
  }

  async stepWithLogprobs(ids: number[][]) {
    const s = await this.scores(ids, { logits: true, logprobs: true });
    return { logits: s.logits!, logprobs: s.logprobs!, vocabSize: s.vocabSize };
  }

  /** Log-probabilities of logits the decoder gave without them (before anyone edits the logits). */
  protected logSoftmax(logits: Float32Array, vocabSize: number): Promise<Float32Array> {
    return logSoftmaxRows(logits, logits.length / vocabSize, vocabSize, this.logprobBuffer.get(logits.length));
  }
}

/** Recomputes the whole decoder prefix each step with decoder_model.onnx (or the merged decoder without its cache). */
class PlainDecoder extends ScoringDecoder implements DecoderRunner {
  readonly usesCache = false;
  private readonly logits = new ScoresBuffer();
  private repeated: { hiddenStates: ort.Tensor; attentionMask: ort.Tensor } | null = null;

  constructor(private readonly ctx: DecoderContext) {
    super();
  }

  protected async scores(ids: number[][], want: { logits: boolean; logprobs: boolean }): Promise<Scores> {
    const { model, rowsPerInput: per } = this.ctx;
    const distinct = distinctInputRows(ids, per);
    // The inputs' encoder states, or (once rows of an input differ) one copy per row
    const encoder = distinct
      ? this.ctx
      : (this.repeated ??= {
          hiddenStates: repeatRows(this.ctx.hiddenStates, per),
          attentionMask: repeatRows(this.ctx.attentionMask, per),
        });
    const session = model.noCacheDecoder;
    const input = int64Tensor(distinct ?? ids, model.info.padTokenId);
    const feeds = {
      input_ids: input,
      encoder_hidden_states: encoder.hiddenStates,
      encoder_attention_mask: encoder.attentionMask,
      ...(isMerged(session) ? mergedFeeds(session, input.dims[0], false) : {}),
    };
    const out = await session.run(pick(feeds, session.inputNames), ["logits"]);
    const vocabSize = out.logits.dims[2];
    const logits = this.logits.get(ids.length * vocabSize);
    lastPositionInto(out.logits, distinct ? per : 1, logits);
    return { logits, logprobs: want.logprobs ? await this.logSoftmax(logits, vocabSize) : null, vocabSize };
  }

  async stepTopK(ids: number[][]): Promise<TopKStep> {
    return this.step(ids, "logprobs");
  }

  rescore(): Promise<Float32Array> {
    throw new Error("rescore() follows a top-k step; the plain decoder returns whole rows");
  }

  reorder(): void {
    // the caller's reordered ids are the whole state
  }
}

/**
 * Runs decoder_model.onnx once for the first token, then decoder_with_past_model.onnx per token
 * (or the merged decoder for both, use_cache_branch false then true: its cached branch returns
 * empty placeholders for the cross-attention keys and values, so the first step's are kept).
 *
 * The self-attention cache lives in two halves of one buffer per tensor, allocated once (grown
 * if a decode outlives it) and reused. When the session offers the new position's keys and values (decoder-graph.ts), only those are fetched
 * and the next step's past is written in one pass: each row's old cache (from the row the beam
 * reorder says it continues) followed by that row's new position. Otherwise the present outputs
 * are fetched and gathered. Either way no cache-sized buffer is allocated per step.
 */
class CachedDecoder extends ScoringDecoder implements DecoderRunner {
  readonly usesCache = true;
  private readonly layers: number;
  private readonly rows: number;
  private readonly session: ort.InferenceSession;
  /** Positions the current half holds. */
  private length = 0;
  private capacity = 0;
  /** (heads, head size) of each self-attention tensor: key then value of each layer. */
  private shapes: { heads: number; size: number }[] = [];
  /**
   * One buffer per self-attention tensor, in three parts: two halves of `capacity` positions (the
   * current cache and the spare one, which swap) and room for one fetched new position. Being one
   * buffer, every copy between the parts is a copyWithin: no view objects per copied block.
   */
  private buffers: Float32Array[] = [];
  /** Which half holds the current cache. */
  private side = 0;
  /** What the last run returned and the current half does not hold yet: one new position, or the whole present. */
  private fetched: { data: Float32Array[]; whole: boolean } | null = null;
  private cross: ort.Tensor[] = [];
  private mask: ort.Tensor | null = null;
  private readonly ids: BigInt64Array;
  private readonly logits = new ScoresBuffer();
  private pending: Int32Array | null = null;
  private vocab = 0;
  /** The feeds of the last top-k step, for rescore(). */
  private lastTopK: Record<string, ort.Tensor> | null = null;
  /** What a merged decoder's cached branch needs besides the with-past decoder's inputs. */
  private extraFeeds: Record<string, ort.Tensor> = {};

  constructor(private readonly ctx: DecoderContext) {
    super();
    this.session = ctx.model.decoderWithPast!;
    this.layers = this.session.inputNames.filter((n) => /^past_key_values\.\d+\.decoder\.key$/.test(n)).length;
    this.rows = ctx.hiddenStates.dims[0] * ctx.rowsPerInput;
    this.ids = new BigInt64Array(this.rows);
  }

  private names(prefix: string, kind: "decoder" | "encoder"): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.layers; i++) out.push(`${prefix}.${i}.${kind}.key`, `${prefix}.${i}.${kind}.value`);
    return out;
  }

  protected async scores(ids: number[][], want: { logits: boolean; logprobs: boolean }): Promise<Scores> {
    if (ids.length !== this.rows) throw new Error(`expected ${this.rows} decoder rows, got ${ids.length}`);
    const s = this.length === 0 ? { logits: await this.first(ids), logprobs: null } : await this.next(ids, want);
    if (want.logprobs && !s.logprobs)
      return { logits: s.logits, logprobs: await this.logSoftmax(s.logits!, this.vocab), vocabSize: this.vocab };
    return { ...s, vocabSize: this.vocab };
  }

  /** The plain decoder on the start tokens, deduplicated per input when the rows agree. */
  private async first(ids: number[][]) {
    const { model, rowsPerInput: per } = this.ctx;
    const distinct = distinctInputRows(ids, per);
    const times = distinct ? per : 1;
    const input = int64Tensor(distinct ?? ids, model.info.padTokenId);
    const feeds = {
      input_ids: input,
      encoder_hidden_states: distinct ? this.ctx.hiddenStates : repeatRows(this.ctx.hiddenStates, per),
      encoder_attention_mask: distinct ? this.ctx.attentionMask : repeatRows(this.ctx.attentionMask, per),
      ...(isMerged(model.decoder) ? mergedFeeds(model.decoder, input.dims[0], false) : {}),
    };
    const selfNames = this.names("present", "decoder");
    const crossNames = this.names("present", "encoder");
    const out = await model.decoder.run(pick(feeds, model.decoder.inputNames), ["logits", ...selfNames, ...crossNames]);
    const length = ids[0].length;
    this.shapes = selfNames.map((n) => ({ heads: out[n].dims[1], size: out[n].dims[3] }));
    this.grow(length);
    selfNames.forEach((n, i) => repeatInto(out[n], times, this.buffers[i], this.half(i, this.side)));
    this.cross = crossNames.map((n) => repeatRows(out[n], times));
    this.mask = repeatRows(this.ctx.attentionMask, per);
    // The merged decoder reads the encoder's states on its cached branch too
    if (isMerged(this.session)) {
      this.extraFeeds = {
        ...mergedFeeds(this.session, this.rows, true),
        encoder_hidden_states: repeatRows(this.ctx.hiddenStates, per),
      };
    }
    this.length = length;
    this.vocab = out.logits.dims[2];
    const logits = this.logits.get(this.rows * this.vocab);
    lastPositionInto(out.logits, times, logits);
    return logits;
  }

  /** The feeds of a with-past step, after bringing the cache up to date. */
  private feedsFor(ids: number[][]): Record<string, ort.Tensor> {
    this.settle();
    if (ids[0].length !== this.length + 1)
      throw new Error(`decoder ids of length ${ids[0].length} after ${this.length} cached`);
    for (let r = 0; r < this.rows; r++) this.ids[r] = BigInt(ids[r][ids[r].length - 1]);
    const feeds: Record<string, ort.Tensor> = {
      ...this.extraFeeds,
      input_ids: new ort.Tensor("int64", this.ids, [this.rows, 1]),
      encoder_attention_mask: this.mask!,
      [TOPK_K]: new ort.Tensor("int64", BigInt64Array.of(1n), [1]),
      [GATHER_INDICES]: new ort.Tensor("int64", new BigInt64Array(this.rows), [this.rows, 1, 1]),
    };
    for (let i = 0; i < this.layers; i++) {
      feeds[`past_key_values.${i}.decoder.key`] = this.view(2 * i);
      feeds[`past_key_values.${i}.decoder.value`] = this.view(2 * i + 1);
      feeds[`past_key_values.${i}.encoder.key`] = this.cross[2 * i];
      feeds[`past_key_values.${i}.encoder.value`] = this.cross[2 * i + 1];
    }
    return feeds;
  }

  /** Runs a with-past step fetching `names` and the cache's new entries (kept for settle()). */
  private async run(feeds: Record<string, ort.Tensor>, names: string[]) {
    const extra = this.ctx.model.withPastOutputs;
    const kvNames = extra.newKeyValues ? extra.newKeyValues.flat() : this.names("present", "decoder");
    const out = await this.session.run(pick(feeds, this.session.inputNames), [...names, ...kvNames]);
    // onnxruntime-node returns every output in a buffer of its own: keep it rather than copy it
    this.fetched = { data: kvNames.map((n) => out[n].data as Float32Array), whole: !extra.newKeyValues };
    return out;
  }

  private async next(ids: number[][], want: { logits: boolean; logprobs: boolean }) {
    const fromGraph = want.logprobs && this.ctx.model.withPastOutputs.logprobs;
    // without the graph's log-probabilities, they are computed from the logits
    const names = [...(want.logits || !fromGraph ? ["logits"] : []), ...(fromGraph ? [LOGPROBS_OUTPUT] : [])];
    const out = await this.run(this.feedsFor(ids), names);
    const data = (name: string) => (names.includes(name) ? (out[name].data as Float32Array) : null);
    return { logits: data("logits"), logprobs: data(LOGPROBS_OUTPUT) };
  }

  async stepTopK(ids: number[][], k: number, gather: number[][]): Promise<TopKStep> {
    if (this.length === 0 || !this.ctx.model.withPastOutputs.logprobs || k >= this.vocab)
      return this.step(ids, "logprobs");
    const feeds = this.feedsFor(ids);
    const width = Math.max(1, ...gather.map((g) => g.length));
    const indices = new BigInt64Array(this.rows * width);
    gather.forEach((g, r) => g.forEach((t, j) => (indices[r * width + j] = BigInt(t))));
    feeds[TOPK_K] = new ort.Tensor("int64", BigInt64Array.of(BigInt(k)), [1]);
    feeds[GATHER_INDICES] = new ort.Tensor("int64", indices, [this.rows, 1, width]);
    const out = await this.run(feeds, [TOPK_VALUES, TOPK_INDICES, GATHERED]);
    this.lastTopK = feeds;
    return {
      vocabSize: this.vocab,
      top: {
        perRow: k,
        ids: out[TOPK_INDICES].data as BigInt64Array,
        scores: out[TOPK_VALUES].data as Float32Array,
        gathered: out[GATHERED].data as Float32Array,
        gatherWidth: width,
      },
    };
  }

  async rescore(): Promise<Float32Array> {
    if (!this.lastTopK) throw new Error("rescore() follows a top-k step");
    // The feeds still point at the cache as it was: settle() only runs at the next step
    const out = await this.session.run(pick(this.lastTopK, this.session.inputNames), [LOGPROBS_OUTPUT]);
    return out[LOGPROBS_OUTPUT].data as Float32Array;
  }

  /** Start of half `side` of buffer i. */
  private half(i: number, side: number): number {
    const { heads, size } = this.shapes[i];
    return side * this.rows * heads * this.capacity * size;
  }

  /** Brings what the last run fetched into the cache, in the beam order the reorder asked for. */
  private settle(): void {
    if (!this.fetched) return;
    const { data, whole } = this.fetched;
    const rows = this.pending;
    const length = this.length;
    this.grow(length + 1);
    for (let i = 0; i < data.length; i++) {
      const { heads, size } = this.shapes[i];
      const buf = this.buffers[i];
      const src = this.half(i, this.side);
      const dst = this.half(i, 1 - this.side);
      const oldBlock = length * size;
      const newBlock = (length + 1) * size;
      if (whole) {
        // the present outputs, (rows, heads, length + 1, size): gather whole rows
        for (let r = 0; r < this.rows; r++) {
          const from = rows ? rows[r] : r;
          buf.set(data[i].subarray(from * heads * newBlock, (from + 1) * heads * newBlock), dst + r * heads * newBlock);
        }
        continue;
      }
      const fresh = this.half(i, 2);
      buf.set(data[i], fresh);
      for (let r = 0; r < this.rows; r++) {
        const from = rows ? rows[r] : r;
        for (let h = 0; h < heads; h++) {
          const at = dst + (r * heads + h) * newBlock;
          const old = src + (from * heads + h) * oldBlock;
          const add = fresh + (from * heads + h) * size;
          buf.copyWithin(at, old, old + oldBlock);
          buf.copyWithin(at + oldBlock, add, add + size);
        }
      }
    }
    this.side = 1 - this.side;
    this.length = length + 1;
    this.fetched = null;
    this.pending = null;
    this.lastTopK = null;
  }

  /** The current cache of tensor i as a (rows, heads, length, size) tensor. */
  private view(i: number): ort.Tensor {
    const { heads, size } = this.shapes[i];
    const start = this.half(i, this.side);
    return new ort.Tensor("float32", this.buffers[i].subarray(start, start + this.rows * heads * this.length * size), [
      this.rows,
      heads,
      this.length,
      size,
    ]);
  }

  /** Makes room for `length` positions, keeping the current cache. */
  private grow(length: number): void {
    if (length <= this.capacity) return;
    const old = { buffers: this.buffers, capacity: this.capacity, side: this.side };
    this.capacity = Math.max(length, Math.min(Math.max(2 * this.capacity, 16), this.ctx.maxLength ?? Infinity));
    this.side = 0;
    this.buffers = this.shapes.map(({ heads, size }, i) => {
      const part = this.rows * heads * size;
      const buf = new Float32Array(part * (2 * this.capacity + 1));
      const from = old.side * part * old.capacity;
      if (old.buffers[i]) buf.set(old.buffers[i].subarray(from, from + part * this.length));
      return buf;
    });
  }

  reorder(rows: Int32Array): void {
    const per = this.ctx.rowsPerInput;
    for (let r = 0; r < rows.length; r++) {
      // cross-attention keys depend only on the input, so they are never gathered
      if (Math.floor(rows[r] / per) !== Math.floor(r / per)) throw new Error("beam reorder crossed inputs");
    }
    // Applied when the next step settles the cache, so the last step's reorder costs nothing
    this.pending = rows.every((v, i) => v === i) ? null : rows.slice();
  }
}

/** Copies a (n, ...) tensor into buf from `start`, each of its n rows repeated `times` times. */
function repeatInto(t: ort.Tensor, times: number, buf: Float32Array, start: number): void {
  const src = t.data as Float32Array;
  const rowSize = t.size / t.dims[0];
  for (let r = 0; r < t.dims[0]; r++) {
    const row = src.subarray(r * rowSize, (r + 1) * rowSize);
    for (let k = 0; k < times; k++) buf.set(row, start + (r * times + k) * rowSize);
  }
}

/** The cached decoder when the model has one and the caller allows it, else the plain one. */
export function createDecoderRunner(ctx: DecoderContext, useCache: boolean): DecoderRunner {
  return useCache && ctx.model.decoderWithPast ? new CachedDecoder(ctx) : new PlainDecoder(ctx);
}

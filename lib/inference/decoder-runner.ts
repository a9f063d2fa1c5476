import * as ort from "onnxruntime-node";
import { int64Tensor, pick, type LoadedModel } from "./seq2seq-model";

/**
 * Gives next-token logits for every decoder row. Rows are laid out input-major
 * (input 0's beams, then input 1's, ...), `rowsPerInput` per input, like generate()'s.
 */
export interface DecoderRunner {
  readonly usesCache: boolean;
  /** ids: the full decoder ids of every row. Returns (rows x vocab) logits of the last position. */
  step(ids: number[][]): Promise<{ logits: Float32Array; vocabSize: number }>;
  /** Row r continues from old row rows[r] (beam reordering). */
  reorder(rows: Int32Array): void;
}

type Context = { model: LoadedModel; hiddenStates: ort.Tensor; attentionMask: ort.Tensor; rowsPerInput: number };

function lastPosition(t: ort.Tensor): { logits: Float32Array; vocabSize: number } {
  const [rows, len, vocab] = t.dims;
  const data = t.data as Float32Array;
  if (len === 1) return { logits: data, vocabSize: vocab };
  const out = new Float32Array(rows * vocab);
  for (let r = 0; r < rows; r++) out.set(data.subarray((r * len + len - 1) * vocab, (r * len + len) * vocab), r * vocab);
  return { logits: out, vocabSize: vocab };
}

/** Recomputes the whole decoder prefix each step with decoder_model.onnx. */
class PlainDecoder implements DecoderRunner {
  readonly usesCache = false;
  constructor(private readonly ctx: Context) {}

  async step(ids: number[][]) {
    const { model, hiddenStates, attentionMask } = this.ctx;
    const feeds = {
      input_ids: int64Tensor(ids, model.info.padTokenId),
      encoder_hidden_states: hiddenStates,
      encoder_attention_mask: attentionMask,
    };
    const out = await model.decoder.run(pick(feeds, model.decoder.inputNames), ["logits"]);
    return lastPosition(out.logits);
  }

  reorder(): void {
    // the caller's reordered ids are the whole state
  }
}

/** Runs decoder_model.onnx once for the first token, then decoder_with_past_model.onnx per token. */
class CachedDecoder implements DecoderRunner {
  readonly usesCache = true;
  private selfKv: ort.Tensor[] | null = null;
  private crossKv: ort.Tensor[] = [];
  private pending: Int32Array | null = null;
  private readonly layers: number;

  constructor(private readonly ctx: Context) {
    const names = ctx.model.decoderWithPast!.inputNames.filter((n) => /^past_key_values\.\d+\.decoder\.key$/.test(n));
    this.layers = names.length;
  }

  private presentNames(kind: "decoder" | "encoder"): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.layers; i++) out.push(`present.${i}.${kind}.key`, `present.${i}.${kind}.value`);
    return out;
  }

  async step(ids: number[][]) {
    const { model, hiddenStates, attentionMask } = this.ctx;
    if (this.selfKv === null) {
      const feeds = {
        input_ids: int64Tensor(ids, model.info.padTokenId),
        encoder_hidden_states: hiddenStates,
        encoder_attention_mask: attentionMask,
      };
      const fetch = ["logits", ...this.presentNames("decoder"), ...this.presentNames("encoder")];
      const out = await model.decoder.run(pick(feeds, model.decoder.inputNames), fetch);
      this.selfKv = this.presentNames("decoder").map((n) => out[n]);
      this.crossKv = this.presentNames("encoder").map((n) => out[n]);
      return lastPosition(out.logits);
    }
    if (this.pending) this.applyReorder(this.pending);
    const feeds: Record<string, ort.Tensor> = {
      input_ids: int64Tensor(ids.map((r) => [r[r.length - 1]]), model.info.padTokenId),
      encoder_hidden_states: hiddenStates,
      encoder_attention_mask: attentionMask,
    };
    for (let i = 0; i < this.layers; i++) {
      feeds[`past_key_values.${i}.decoder.key`] = this.selfKv[2 * i];
      feeds[`past_key_values.${i}.decoder.value`] = this.selfKv[2 * i + 1];
      feeds[`past_key_values.${i}.encoder.key`] = this.crossKv[2 * i];
      feeds[`past_key_values.${i}.encoder.value`] = this.crossKv[2 * i + 1];
    }
    const session = model.decoderWithPast!;
    const out = await session.run(pick(feeds, session.inputNames), ["logits", ...this.presentNames("decoder")]);
    this.selfKv = this.presentNames("decoder").map((n) => out[n]);
    return lastPosition(out.logits);
  }

  reorder(rows: Int32Array): void {
    const per = this.ctx.rowsPerInput;
    for (let r = 0; r < rows.length; r++) {
      // cross-attention keys depend only on the input, so they are never gathered
      if (Math.floor(rows[r] / per) !== Math.floor(r / per)) throw new Error("beam reorder crossed inputs");
    }
    // Deferred to the next step, so the last step's reorder costs nothing
    this.pending = rows.every((v, i) => v === i) ? null : rows.slice();
  }

  private applyReorder(rows: Int32Array): void {
    this.selfKv = this.selfKv!.map((t) => {
      const src = t.data as Float32Array;
      const rowSize = t.size / t.dims[0];
      const out = new Float32Array(t.size);
      for (let r = 0; r < rows.length; r++) out.set(src.subarray(rows[r] * rowSize, (rows[r] + 1) * rowSize), r * rowSize);
      return new ort.Tensor("float32", out, t.dims);
    });
    this.pending = null;
  }
}

/** The cached decoder when the model has one and the caller allows it, else the plain one. */
export function createDecoderRunner(ctx: Context, useCache: boolean): DecoderRunner {
  return useCache && ctx.model.decoderWithPast ? new CachedDecoder(ctx) : new PlainDecoder(ctx);
}

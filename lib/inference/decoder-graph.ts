import { field, INT64, intField, Reader, tensorInfo, text, utf8, varint } from "./onnx-proto";

/**
 * Adds two outputs to decoder_with_past_model.onnx, in memory (the file is not touched):
 *
 * - `logprobs`: LogSoftmax of `logits` over the vocabulary, computed inside the decoder's own
 *   run (its threads, its cache-warm logits) instead of in a second session.
 * - the new key and value of every self-attention layer, i.e. the second input of the Concat that
 *   makes `present.<i>.decoder.key/value` from the past. onnxruntime-node copies every fetched
 *   output into a fresh JavaScript buffer; fetching the full present cache cost a copy and an
 *   allocation of the whole cache per step. With only the new position fetched, the runner
 *   appends it to the cache it keeps (merged with the beam reorder, which copies the cache anyway).
 *
 * Each addition is made only where the graph has the expected shape (an Optimum export of
 * T5/BART does); `newKeyValues` is null otherwise, and the runner falls back to the present
 * outputs. Models with external data are left alone (their weights could not be found from a
 * buffer).
 */
export type ExtendedDecoder = {
  bytes: Uint8Array;
  /**
   * Whether the `logprobs` output was added, and with it the inputs TOPK_K (int64 [1]) and
   * GATHER_INDICES (int64 [rows, 1, n]) and the outputs TOPK_VALUES, TOPK_INDICES (each row's k
   * best log-probabilities, best first, ties to the lower id as torch.topk) and GATHERED (the
   * log-probabilities at GATHER_INDICES): beam search then fetches a few numbers per row
   * instead of the whole vocabulary.
   */
  logprobs: boolean;
  /** Per layer, [key, value] output names of the new position, or null. */
  newKeyValues: [string, string][] | null;
};

export const LOGPROBS_OUTPUT = "logprobs";
export const TOPK_K = "distil_eval_topk_k";
export const GATHER_INDICES = "distil_eval_gather_indices";
export const TOPK_VALUES = "distil_eval_topk_values";
export const TOPK_INDICES = "distil_eval_topk_indices";
export const GATHERED = "distil_eval_gathered";

type Node = { inputs: string[]; outputs: string[]; opType: string };

function readNode(buf: Uint8Array, start: number, end: number): Node {
  const node: Node = { inputs: [], outputs: [], opType: "" };
  new Reader(buf, start, end).fields((f, w, s, e) => {
    if (w !== 2) return;
    if (f === 1) node.inputs.push(utf8(buf, s, e));
    if (f === 2) node.outputs.push(utf8(buf, s, e));
    if (f === 4) node.opType = utf8(buf, s, e);
  });
  return node;
}

function valueInfoName(buf: Uint8Array, start: number, end: number): string {
  let name = "";
  new Reader(buf, start, end).fields((f, w, s, e) => {
    if (f === 1 && w === 2) name = utf8(buf, s, e);
  });
  return name;
}

/** Whether an initializer (TensorProto) keeps its data in an external file (data_location = 1). */
function isExternal(buf: Uint8Array, start: number, end: number): boolean {
  let external = false;
  new Reader(buf, start, end).fields((f, w, s) => {
    if (f === 14 && w === 0 && new Reader(buf, s).varint() === 1) external = true;
  });
  return external;
}

/** Where ModelProto.graph (field 7) lies: its key's offset and its bytes' range. */
function graphField(model: Uint8Array): { keyStart: number; start: number; end: number } | null {
  const r = new Reader(model);
  while (r.pos < model.length) {
    const keyStart = r.pos;
    const key = r.varint();
    const wire = key & 7;
    if (wire === 2) {
      const len = r.varint();
      if (Math.floor(key / 8) === 7) return { keyStart, start: r.pos, end: r.pos + len };
      r.pos += len;
    } else if (wire === 0) r.varint();
    else if (wire === 1) r.pos += 8;
    else if (wire === 5) r.pos += 4;
    else return null;
  }
  return null;
}

export function extendDecoderWithPast(model: Uint8Array): ExtendedDecoder {
  const unchanged: ExtendedDecoder = { bytes: model, logprobs: false, newKeyValues: null };
  const graph = graphField(model);
  if (!graph) return unchanged;

  const nodes: Node[] = [];
  const inputs = new Set<string>();
  const outputs = new Set<string>();
  let external = false;
  new Reader(model, graph.start, graph.end).fields((f, w, s, e) => {
    if (w !== 2) return;
    if (f === 1) nodes.push(readNode(model, s, e));
    if (f === 5 && isExternal(model, s, e)) external = true;
    if (f === 11) inputs.add(valueInfoName(model, s, e));
    if (f === 12) outputs.add(valueInfoName(model, s, e));
  });
  if (external) return unchanged;
  const layers = [...inputs].filter((n) => /^past_key_values\.\d+\.decoder\.key$/.test(n)).length;

  const producer = new Map<string, Node>();
  for (const n of nodes) for (const o of n.outputs) producer.set(o, n);
  const extra: number[] = [];
  let logprobs = false;
  const ours = [LOGPROBS_OUTPUT, TOPK_K, GATHER_INDICES, TOPK_VALUES, TOPK_INDICES, GATHERED];
  if (outputs.has("logits") && !ours.some((n) => outputs.has(n) || inputs.has(n) || producer.has(n))) {
    // Every axis is the last one, and explicit, so that opsets < 13 mean the same
    // AttributeProto { name, type: INT (2), i }
    const intAttr = (name: string, value: number) =>
      field(5, [...field(1, text(name)), ...intField(20, 2), ...intField(3, value)]);
    const node = (opType: string, ins: string[], outs: string[], attrs: number[]) =>
      field(1, [
        ...ins.flatMap((n) => field(1, text(n))),
        ...outs.flatMap((n) => field(2, text(n))),
        ...field(3, text(`distil_eval_${opType}`)),
        ...field(4, text(opType)),
        ...attrs,
      ]);
    extra.push(
      ...node("LogSoftmax", ["logits"], [LOGPROBS_OUTPUT], intAttr("axis", -1)),
      ...node(
        "TopK",
        [LOGPROBS_OUTPUT, TOPK_K],
        [TOPK_VALUES, TOPK_INDICES],
        [...intAttr("axis", -1), ...intAttr("largest", 1), ...intAttr("sorted", 1)],
      ),
      ...node("GatherElements", [LOGPROBS_OUTPUT, GATHER_INDICES], [GATHERED], intAttr("axis", -1)),
      ...field(11, tensorInfo(TOPK_K, ["one"], INT64)),
      ...field(11, tensorInfo(GATHER_INDICES, ["rows", "one_position", "gathered"], INT64)),
      ...field(12, tensorInfo(LOGPROBS_OUTPUT)),
      ...field(12, tensorInfo(TOPK_VALUES)),
      ...field(12, tensorInfo(TOPK_INDICES, undefined, INT64)),
      ...field(12, tensorInfo(GATHERED)),
    );
    logprobs = true;
  }

  const newKeyValues: [string, string][] = [];
  for (let i = 0; i < layers; i++) {
    const pair = (["key", "value"] as const).map((kind) => {
      const n = producer.get(`present.${i}.decoder.${kind}`);
      const past = `past_key_values.${i}.decoder.${kind}`;
      if (!n || n.opType !== "Concat" || n.inputs.length !== 2 || n.inputs[0] !== past || !inputs.has(past))
        return null;
      return n.inputs[1];
    });
    if (pair[0] === null || pair[1] === null) {
      newKeyValues.length = 0;
      break;
    }
    newKeyValues.push([pair[0], pair[1]]);
  }
  const withNewKv = newKeyValues.length === layers && layers > 0;
  if (withNewKv) {
    for (const [k, v] of newKeyValues) {
      if (!outputs.has(k)) extra.push(...field(12, tensorInfo(k)));
      if (!outputs.has(v)) extra.push(...field(12, tensorInfo(v)));
    }
  }
  if (extra.length === 0) return unchanged;

  const graphBytes = model.subarray(graph.start, graph.end);
  const header = [...varint(7 * 8 + 2), ...varint(graphBytes.length + extra.length)];
  const out = new Uint8Array(
    graph.keyStart + header.length + graphBytes.length + extra.length + (model.length - graph.end),
  );
  let at = 0;
  const put = (part: ArrayLike<number>) => {
    out.set(part, at);
    at += part.length;
  };
  put(model.subarray(0, graph.keyStart));
  put(header);
  put(graphBytes);
  put(extra);
  put(model.subarray(graph.end));
  return { bytes: out, logprobs, newKeyValues: withNewKv ? newKeyValues : null };
}

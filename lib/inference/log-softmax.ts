import * as ort from "onnxruntime-node";
import { sessionOptions } from "./session-cache";

/**
 * log_softmax over the vocabulary for every decoder row, run by onnxruntime's vectorised kernel.
 * In JavaScript this pass (one exp per vocabulary entry per row per step) cost as much as a
 * third of a T5-small-sized decode; onnxruntime does it several times faster, in float32 like
 * torch. The one-node graph is encoded here rather than shipped as a file.
 */

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 127) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

const text = (s: string) => Array.from(Buffer.from(s, "utf8"));
const field = (num: number, bytes: number[]) => [...varint(num * 8 + 2), ...varint(bytes.length), ...bytes];
const intField = (num: number, value: number) => [...varint(num * 8), ...varint(value)];

/** ValueInfoProto of a float32 (rows, vocab) tensor with symbolic dimensions. */
function floatMatrix(name: string): number[] {
  const dim = (param: string) => field(1, field(2, text(param))); // TensorShapeProto.dim { dim_param }
  const tensorType = [...intField(1, 1), ...field(2, [...dim("rows"), ...dim("vocab")])]; // elem_type FLOAT, shape
  return [...field(1, text(name)), ...field(2, field(1, tensorType))]; // name, type { tensor_type }
}

/** ModelProto bytes: y = LogSoftmax(x) over the last axis (opset 14's default). */
export function logSoftmaxModel(): Uint8Array {
  const node = [...field(1, text("x")), ...field(2, text("y")), ...field(4, text("LogSoftmax"))];
  const graph = [...field(1, node), ...field(2, text("log_softmax")), ...field(11, floatMatrix("x")), ...field(12, floatMatrix("y"))];
  const opset = [...field(1, []), ...intField(2, 14)];
  return Uint8Array.from([...intField(1, 7), ...field(7, graph), ...field(8, opset)]);
}

let session: Promise<ort.InferenceSession> | null = null;

/** log_softmax of (rows x vocab) logits; the result is a new buffer the caller may modify. */
export async function logSoftmaxRows(logits: Float32Array, rows: number, vocab: number): Promise<Float32Array> {
  session ??= ort.InferenceSession.create(logSoftmaxModel(), sessionOptions());
  const s = await session;
  const out = await s.run({ x: new ort.Tensor("float32", logits, [rows, vocab]) });
  return out.y.data as Float32Array;
}
